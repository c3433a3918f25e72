import type { AnyStateMachine } from 'xstate';
import { AppError, versionConflict } from '../http/app-error';
import { nextState } from './workflow';

/** The client's expected version must be the current one: a stale one is refused, naming the current. */
export function assertVersion(record: { version: number }, expected: number): void {
  if (record.version !== expected) throw versionConflict(record.version);
}

/** Asks the machine for the next state, or refuses: not possible in this state (409), or a guard failed (422). */
export function transitionOrRefuse(machine: AnyStateMachine, state: string, context: object, event: { type: string; [payload: string]: unknown }): string {
  const result = nextState(machine, state, context as never, event as never);
  if (result.ok) return result.value;
  if (result.reason === 'guard_failed') {
    throw new AppError('guard_failed', {
      detail: { ja: `条件を満たしていません: ${(result.guards ?? []).join(', ')}`, en: `Conditions not met: ${(result.guards ?? []).join(', ')}` },
      meta: { state, action: event.type, guards: result.guards ?? [] },
    });
  }
  throw new AppError('transition_not_allowed', { meta: { state, action: event.type } });
}
