import type { AnyStateMachine } from 'xstate';
import { AppError, versionConflict } from '../http/app-error';
import { guardMeanings } from '../vocabulary/workflow-labels';
import { nextState } from './workflow';

/** The client's expected version must be the current one: a stale one is refused, naming the current. */
export function assertVersion(record: { version: number }, expected: number): void {
  if (record.version !== expected) throw versionConflict(record.version);
}

/**
 * Asks the machine for the next state, or refuses: not possible in this state (409), or a guard failed
 * (422). The refusal says what is missing in words; the guards' names stay in `guards` for programs.
 */
export function transitionOrRefuse(machine: AnyStateMachine, state: string, context: object, event: { type: string; [payload: string]: unknown }): string {
  const result = nextState(machine, state, context as never, event as never);
  if (result.ok) return result.value;
  if (result.reason === 'guard_failed') {
    const guards = result.guards ?? [];
    throw new AppError('guard_failed', {
      detail: { ja: `条件を満たしていません: ${guardMeanings(machine, guards, 'ja')}`, en: `Conditions not met: ${guardMeanings(machine, guards, 'en')}` },
      meta: { state, action: event.type, guards },
    });
  }
  throw new AppError('transition_not_allowed', { meta: { state, action: event.type } });
}
