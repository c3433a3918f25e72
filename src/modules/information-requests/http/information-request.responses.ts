import { z } from 'zod';
import { INFORMATION_REQUEST_STATES } from '../domain/information-request.machine';
import { INFORMATION_REQUEST_BASES, informationRequestActionParam, PERSON_FIELD_GROUP_CODES } from '../domain/information-request.schemas';
import { PERSON_FIELDS, type PersonField } from '../../referrals/domain/shared-package';

const nullableText = z.string().nullable();
const groups = z.array(z.enum(PERSON_FIELD_GROUP_CODES));

/** A 情報照会 as both sides see it (informationRequestView): no person data. */
export const InformationRequestSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    caseId: z.uuid().nullable(),
    relation: nullableText,
    fromDepartmentId: z.uuid(),
    toDepartmentId: z.uuid(),
    requestedGroups: groups,
    approvedGroups: groups.nullable(),
    approvedFields: z.array(z.enum(PERSON_FIELDS as [PersonField, ...PersonField[]])).nullable().describe('What the requesting department now holds by this request'),
    purpose: z.string(),
    legalBasis: z.enum(INFORMATION_REQUEST_BASES),
    legalBasisReason: nullableText,
    state: z.enum(INFORMATION_REQUEST_STATES),
    version: z.int().min(1),
    expiresOn: z.iso.date().describe('Expires unanswered after this day'),
    declineReason: nullableText,
    withdrawReason: nullableText,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    allowedActions: z.array(informationRequestActionParam).describe('What the caller may do now (POST …/actions/:action)'),
  })
  .meta({ id: 'InformationRequest' });
