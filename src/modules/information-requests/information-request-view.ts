import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/http/app-error';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { InformationRequestSchema, type InformationRequest } from './domain/information-request.entity';
import { informationRequestMachine } from './domain/information-request.machine';
import { APPROVAL_BASES } from '../referrals/domain/share-bases';
import { fieldsOfGroups, INFORMATION_REQUEST_ACTIONS, type InformationRequestAction } from './domain/information-request.schemas';

const NO_SUCH_REQUEST = { ja: '情報照会が見つかりません。', en: 'No such information request.' };

/**
 * The ability's action for each step: the requester withdraws, the holder answers — and where the basis
 * needs a senior decision (APPI_SPECIAL), only the holding department's manager approves.
 */
export const actionNeeds = (action: InformationRequestAction, request: Pick<InformationRequest, 'legalBasis'>): Action => {
  if (action === 'withdraw') return 'withdraw';
  return action === 'approve' && APPROVAL_BASES.includes(request.legalBasis) ? 'shareSpecial' : 'respond';
};

/** A request the caller may act on; one they may not even see answers 404 like an unknown id (audited). */
export async function loadInformationRequest(em: EntityManager, auth: RequestAuth, id: string, action: Action | ((request: InformationRequest) => Action)): Promise<InformationRequest> {
  const found = await em.findOne(InformationRequestSchema, { id });
  if (!found) throw notFound(NO_SUCH_REQUEST);
  assertCanOrHide(auth, typeof action === 'function' ? action(found) : action, 'InformationRequest', found);
  return found;
}

function allowedActions(auth: RequestAuth, request: InformationRequest): InformationRequestAction[] {
  const record = subject('InformationRequest', { ...request });
  const accepted = acceptedEvents(informationRequestMachine, request.state, {}, (type) => ({ type, reason: '理由', groups: ['basic'] }) as never);
  return (Object.entries(INFORMATION_REQUEST_ACTIONS) as [InformationRequestAction, string][])
    .filter(([action, event]) => accepted.includes(event) && auth.ability.can(actionNeeds(action, request), record))
    .map(([action]) => action);
}

/** What both sides see of a request: no person data (the requester reads that through the person record). */
export function informationRequestView(auth: RequestAuth, request: InformationRequest) {
  return {
    id: request.id,
    personId: request.personId,
    caseId: request.caseId ?? null,
    relation: request.relation ?? null,
    fromDepartmentId: request.fromDepartmentId,
    toDepartmentId: request.toDepartmentId,
    requestedGroups: request.requestedGroups,
    approvedGroups: request.approvedGroups ?? null,
    approvedFields: request.approvedGroups ? fieldsOfGroups(request.approvedGroups) : null,
    purpose: request.purpose,
    legalBasis: request.legalBasis,
    legalBasisReason: request.legalBasisReason ?? null,
    state: request.state,
    version: request.version,
    expiresOn: request.expiresOn,
    declineReason: request.declineReason ?? null,
    withdrawReason: request.withdrawReason ?? null,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    allowedActions: allowedActions(auth, request),
  };
}
