import type { AnyStateMachine } from 'xstate';
import { chartOf } from '../workflow/workflow';
import type { Language } from '../http/app-error';
import { vocabulary, type Label, type Vocabulary } from './vocabulary';

/** Guards several machines share, labelled once (the meaning a refusal shows, not the guard's name). */
export const COMMON_GUARDS = {
  hasReason: { ja: '理由の入力が必要です', en: 'A reason is required' },
} as const satisfies Record<string, Label>;

export interface WorkflowLabels {
  states: Vocabulary;
  events: Vocabulary;
  guards: Vocabulary;
}

const byMachine = new Map<string, WorkflowLabels>();

/** `case.v1` → `case`: a new machine version keeps the names of its lists. */
const baseName = (machine: AnyStateMachine) => machine.id.replace(/\.v\d+$/, '');

/**
 * Labels of a machine's states, events and guards (a guard's label says what is missing, for refusals),
 * registered as the lists `<machine>.state`, `<machine>.event` and `<machine>.guard`.
 */
export function workflowLabels<S extends string, E extends string, G extends string>(
  machine: AnyStateMachine,
  labels: { states: Record<S, Label>; events: Record<E, Label>; guards: Record<G, Label> },
): WorkflowLabels {
  const name = baseName(machine);
  const defined = {
    states: vocabulary(`${name}.state`, labels.states),
    events: vocabulary(`${name}.event`, labels.events),
    guards: vocabulary(`${name}.guard`, labels.guards),
  };
  byMachine.set(machine.id, defined);
  return defined;
}

/** The labels a machine was given, or an error: a machine without labels would show codes to people. */
export function labelsOf(machine: AnyStateMachine): WorkflowLabels {
  const found = byMachine.get(machine.id);
  if (!found) throw new Error(`${machine.id} has no labels: call workflowLabels() beside the machine`);
  return found;
}

/** What each failing guard means, in one language: `理由の入力が必要です、…`. */
export function guardMeanings(machine: AnyStateMachine, guards: string[], lang: Language): string {
  const { guards: labels } = labelsOf(machine);
  return guards.map((g) => labels.label(g, lang)).join(lang === 'ja' ? '、' : '; ');
}

/** A machine's chart with what people read for each state, event and guard. */
export function labelledChart(machine: AnyStateMachine) {
  const chart = chartOf(machine);
  const labels = labelsOf(machine);
  return {
    ...chart,
    states: chart.states.map((state) => ({
      ...state,
      label: labels.states.labels[state.name],
      transitions: state.transitions.map((t) => ({ ...t, eventLabel: labels.events.labels[t.event] })),
    })),
    events: labels.events.codes.map((code) => ({ code, label: labels.events.labels[code] })),
    guards: labels.guards.codes.map((code) => ({ code, label: labels.guards.labels[code] })),
  };
}
