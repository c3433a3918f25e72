import { transition, type AnyStateMachine, type ContextFrom, type EventFromLogic, type EventObject } from 'xstate';

/**
 * Evaluates flat, pure XState machines from stored (value, context): the
 * database row is the source of truth, the machine only decides the next step.
 * Everything here reads the machine's public `config`, `implementations`,
 * `resolveState` and `can`, never XState internals.
 */

export type ContextOf<M extends AnyStateMachine> = ContextFrom<M>;
export type EventOf<M extends AnyStateMachine> = EventFromLogic<M>;

export type NextState<M extends AnyStateMachine> =
  | { ok: true; value: string; context: ContextOf<M> }
  | { ok: false; reason: 'not_allowed_in_state' | 'guard_failed'; guards?: string[] };

export interface ChartTransition {
  event: string;
  target: string;
  guards: string[];
}
export interface ChartState {
  name: string;
  final: boolean;
  transitions: ChartTransition[];
}
export interface WorkflowChart {
  id: string;
  initial: string;
  states: ChartState[];
}

/** The next state for `event`, or why the machine refuses it. */
export function nextState<M extends AnyStateMachine>(
  machine: M,
  value: string,
  context: ContextOf<M>,
  event: EventOf<M>,
): NextState<M> {
  const snapshot = restore(machine, value, context);
  if (!snapshot.can(event)) {
    const candidates = candidatesFor(machine, value, event.type);
    if (candidates.length === 0) return { ok: false, reason: 'not_allowed_in_state' };
    return { ok: false, reason: 'guard_failed', guards: failingGuards(machine, candidates, context, event) };
  }
  const [next] = transition(machine as AnyStateMachine, snapshot, event);
  return { ok: true, value: flatValue(next.value), context: next.context as ContextOf<M> };
}

/**
 * Event types the machine accepts right now, for a client's `allowedActions`.
 * `probe` builds a plausible event per type (e.g. reason 'x'), so payload guards
 * pass and only state and context decide.
 */
export function acceptedEvents<M extends AnyStateMachine>(
  machine: M,
  value: string,
  context: ContextOf<M>,
  probe: (type: string) => EventObject,
): string[] {
  const snapshot = restore(machine, value, context);
  return eventTypesIn(machine, value).filter((type) => snapshot.can(probe(type) as EventOf<M>));
}

/** A drawable description of a flat machine; composite guards list their inner guard names. */
export function chartOf(machine: AnyStateMachine): WorkflowChart {
  const config = configOf(machine);
  const initial = typeof config.initial === 'string' ? config.initial : (config.initial?.target ?? '');
  return {
    id: machine.id,
    initial,
    states: Object.entries(config.states ?? {}).map(([name, state]) => {
      const final = state.type === 'final';
      // Root-level `on` applies in every state that is still running.
      const sources = final ? [state.on] : [state.on, config.on];
      const transitions = sources.flatMap((on) =>
        Object.entries(on ?? {}).flatMap(([event, raw]) =>
          normalize(raw)
            .filter((t) => t.target !== undefined)
            .map((t) => ({ event, target: targetName(machine, t.target!), guards: t.guard ? guardNames(t.guard) : [] })),
        ),
      );
      return { name, final, transitions };
    }),
  };
}

// --- reading the public config ------------------------------------------------

/** A guard as written in config: a name, `{ type, params }`, or a function (`and`/`or`/`not` carry `guards`). */
type GuardRef = string | { type: string; params?: unknown } | GuardFn;
type GuardFn = ((args: { context: unknown; event: EventObject }, params: unknown) => boolean) & { guards?: GuardRef[] };
interface TransitionRef {
  target?: string | readonly string[];
  guard?: GuardRef;
}
type TransitionsRef = string | TransitionRef | readonly (string | TransitionRef)[] | undefined;
type OnRef = Record<string, TransitionsRef> | undefined;
interface StateRef {
  id?: string;
  type?: string;
  on?: OnRef;
}
interface ConfigRef {
  initial?: string | { target: string };
  states?: Record<string, StateRef>;
  on?: OnRef;
}

function configOf(machine: AnyStateMachine): ConfigRef {
  return machine.config as unknown as ConfigRef;
}

function restore(machine: AnyStateMachine, value: string, context: unknown) {
  if (!Object.hasOwn(configOf(machine).states ?? {}, value)) {
    throw new Error(`${machine.id} has no state '${value}'`);
  }
  return machine.resolveState({ value, context });
}

function flatValue(value: unknown): string {
  if (typeof value !== 'string') throw new Error('workflow helpers support flat machines only');
  return value;
}

function normalize(raw: TransitionsRef): { target?: string; guard?: GuardRef }[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw as string | TransitionRef];
  return list.map((t) => {
    if (typeof t === 'string') return { target: t };
    const target = Array.isArray(t.target) ? t.target[0] : (t.target as string | undefined);
    return { target, guard: t.guard };
  });
}

/** Chart targets are state names, however the config spelled them ('b', '.b', '#machine.b', '#b-id'). */
function targetName(machine: AnyStateMachine, target: string): string {
  if (target.startsWith('.')) return target.slice(1);
  if (!target.startsWith('#')) return target;
  const id = target.slice(1);
  const byId = Object.entries(configOf(machine).states ?? {}).find(([, state]) => state.id === id);
  if (byId) return byId[0];
  const prefix = `${machine.id}.`;
  return id.startsWith(prefix) ? id.slice(prefix.length) : id;
}

/** Transitions declared for `eventType` in `value` or at the root (XState falls back to the root's). */
function candidatesFor(machine: AnyStateMachine, value: string, eventType: string) {
  const config = configOf(machine);
  const state = config.states?.[value];
  if (!state || state.type === 'final') return [];
  return [state.on, config.on].flatMap((on) => normalize(on?.[eventType])).filter((t) => t.target !== undefined);
}

function eventTypesIn(machine: AnyStateMachine, value: string): string[] {
  const config = configOf(machine);
  const state = config.states?.[value];
  if (!state || state.type === 'final') return [];
  const types = [state.on, config.on].flatMap((on) => Object.keys(on ?? {}));
  // Wildcards are not events a client can send.
  return [...new Set(types)].filter((type) => type !== '*' && !type.endsWith('.*'));
}

// --- guards ------------------------------------------------------------------

function guardNames(guard: GuardRef): string[] {
  if (typeof guard === 'string') return [guard];
  if (typeof guard === 'function') return guard.guards ? guard.guards.flatMap(guardNames) : ['(inline)'];
  return [guard.type];
}

/**
 * Which leaf guards refused. Guards are pure, so evaluating them again is safe;
 * if no single leaf can be blamed (e.g. `not`), every guard involved is named.
 */
function failingGuards(
  machine: AnyStateMachine,
  candidates: { guard?: GuardRef }[],
  context: unknown,
  event: EventObject,
): string[] {
  const leaves = candidates.flatMap((t) => (t.guard ? leafGuards(t.guard) : []));
  const failing = leaves.filter((g) => holds(machine, g, context, event) === false);
  return [...new Set((failing.length ? failing : leaves).flatMap(guardNames))];
}

function leafGuards(guard: GuardRef): GuardRef[] {
  return typeof guard === 'function' && guard.guards ? guard.guards.flatMap(leafGuards) : [guard];
}

/** The guard's verdict, or undefined when it cannot be evaluated on its own. */
function holds(machine: AnyStateMachine, guard: GuardRef, context: unknown, event: EventObject): boolean | undefined {
  const implementations = (machine.implementations.guards ?? {}) as Record<string, unknown>;
  let fn: unknown = guard;
  let params: unknown = undefined;
  if (typeof guard === 'string') fn = implementations[guard];
  else if (typeof guard === 'object') {
    fn = implementations[guard.type];
    params = typeof guard.params === 'function' ? guard.params({ context, event }) : guard.params;
  }
  if (typeof fn !== 'function' || (fn as GuardFn).guards) return undefined;
  try {
    return Boolean((fn as GuardFn)({ context, event }, params));
  } catch {
    return undefined;
  }
}
