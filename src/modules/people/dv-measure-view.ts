import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/http/app-error';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { DvMeasureSchema, type DvMeasure } from './domain/dv-measure.entity';
import { dvMeasureMachine } from './domain/dv-measure.machine';
import { DV_MEASURE_ACTIONS, type DvMeasureAction } from './domain/dv-measure.schemas';

const NO_SUCH_MEASURE = { ja: '支援措置が見つかりません。', en: 'No such support measure.' };

/** The ability's action for each step: the department's counselors request, its manager decides. */
export const dvActionNeeds = (action: DvMeasureAction): Action => (action === 'approve' || action === 'decline' ? 'decide' : 'update');

/** A measure of this person the caller may see; an unknown one, or one they may not see, answers 404 alike (audited). */
export async function loadDvMeasure(em: EntityManager, auth: RequestAuth, personId: string, measureId: string): Promise<DvMeasure> {
  const found = await em.findOne(DvMeasureSchema, { id: measureId, personId });
  if (!found) throw notFound(NO_SUCH_MEASURE);
  assertCanOrHide(auth, 'read', 'DvMeasure', found);
  return found;
}

function allowedActions(auth: RequestAuth, measure: DvMeasure): DvMeasureAction[] {
  const record = subject('DvMeasure', { ...measure });
  const context = { requestedBy: measure.pendingRequestedBy ?? null };
  const accepted = acceptedEvents(dvMeasureMachine, measure.state, context, (type) => ({ type, by: auth.principal.id, reason: '理由' }) as never);
  return (Object.entries(DV_MEASURE_ACTIONS) as [DvMeasureAction, string][])
    .filter(([action, event]) => accepted.includes(event) && auth.ability.can(dvActionNeeds(action), record))
    .map(([action]) => action);
}

/** A measure as its department sees it: dates, coverage, protectors and the request waiting, no person data. */
export function dvMeasureView(auth: RequestAuth, measure: DvMeasure) {
  return {
    id: measure.id,
    personId: measure.personId,
    departmentId: measure.departmentId,
    state: measure.state,
    startsOn: measure.startsOn,
    endsOn: measure.endsOn,
    coversHousehold: measure.coversHousehold,
    protectorIds: measure.protectorIds,
    reason: measure.reason,
    requestedBy: measure.requestedBy,
    pendingRequest: measure.pendingRequest ?? null,
    pendingRequestedBy: measure.pendingRequestedBy ?? null,
    pendingEndsOn: measure.pendingEndsOn ?? null,
    pendingReason: measure.pendingReason ?? null,
    decidedBy: measure.decidedBy ?? null,
    declineReason: measure.declineReason ?? null,
    renewalDueOn: measure.renewalDueOn ?? null,
    version: measure.version,
    createdAt: measure.createdAt,
    updatedAt: measure.updatedAt,
    allowedActions: allowedActions(auth, measure),
  };
}
export type DvMeasureView = ReturnType<typeof dvMeasureView>;
