import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../platform/calendar/today';
import { notFound } from '../../platform/http/app-error';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { ParticipationConnectionSchema, type ParticipationConnection } from './domain/connection.entity';
import { connectionMachine } from './domain/connection.machine';
import { CONNECTION_ACTIONS, type ConnectionAction } from './domain/participation.schemas';

const NO_SUCH_CONNECTION = { ja: 'つなぎ先の記録が見つかりません。', en: 'No such connection.' };

/** A connection the caller may act on; one they may not even see answers 404 like an unknown id (audited). */
export async function loadConnection(em: EntityManager, auth: RequestAuth, id: string, action: Action): Promise<ParticipationConnection> {
  const found = await em.findOne(ParticipationConnectionSchema, { id });
  if (!found) throw notFound(NO_SUCH_CONNECTION);
  assertCanOrHide(auth, action, 'ParticipationConnection', found);
  return found;
}

/** Live connections whose follow-up day has passed: the follow-up tasks. */
export const followUpDue = (c: Pick<ParticipationConnection, 'state' | 'followUpOn'>, today: string) => c.state !== 'ended' && !!c.followUpOn && c.followUpOn < today;

function allowedActions(auth: RequestAuth, c: ParticipationConnection): ConnectionAction[] {
  if (!auth.ability.can('update', subject('ParticipationConnection', { ...c }))) return [];
  const accepted = acceptedEvents(connectionMachine, c.state, {}, (type) => ({ type, reason: 'other' }) as never);
  return (Object.entries(CONNECTION_ACTIONS) as [ConnectionAction, string][]).filter(([, event]) => accepted.includes(event)).map(([action]) => action);
}

/** A connection as its department sees it: who, to what, which fields the host was told (no values). */
export function connectionView(auth: RequestAuth, c: ParticipationConnection, today = todayInJapan()) {
  return {
    id: c.id,
    resourceId: c.resourceId,
    personId: c.personId,
    caseId: c.caseId,
    planTaskId: c.planTaskId ?? null,
    departmentId: c.departmentId,
    wish: c.wish,
    sharedFields: c.sharedFields,
    personConsentId: c.personConsentId,
    volunteerIds: c.volunteerIds,
    disclosureId: c.disclosureId ?? null,
    state: c.state,
    followUpOn: c.followUpOn ?? null,
    followUpDue: followUpDue(c, today),
    startedOn: c.startedOn ?? null,
    endedOn: c.endedOn ?? null,
    endReason: c.endReason ?? null,
    note: c.note ?? null,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    allowedActions: allowedActions(auth, c),
  };
}
export type ConnectionView = ReturnType<typeof connectionView>;
