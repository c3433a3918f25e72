import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { RequestAuth } from '../access/request-auth';
import { coordinationContext } from './coordination-access';
import type { CoordinationCase } from './domain/coordination.entity';
import { COORDINATION_ACTIONS, coordinationMachine } from './domain/coordination.machine';

/** State, version and what this caller can do next (approve-plan assumes a meeting will be named). */
export async function coordinationSummary(em: EntityManager, auth: RequestAuth, found: CoordinationCase) {
  const canUpdate = auth.ability.can('update', subject('CoordinationCase', { ...found }));
  const context = await coordinationContext(em, found, true);
  const accepted = canUpdate ? acceptedEvents(coordinationMachine, found.state, context, (type) => ({ type, reason: '理由' }) as never) : [];
  return {
    id: found.id,
    caseId: found.caseId,
    state: found.state,
    version: found.version,
    allowedActions: Object.entries(COORDINATION_ACTIONS)
      .filter(([, event]) => accepted.includes(event))
      .map(([action]) => action),
  };
}
