import { z } from 'zod';
import { LabelSchema } from '../../../platform/http/api-contract/common.schemas';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { DepartmentRefSchema } from '../../people/http/people.responses';
import { PersonViewSchema } from '../../people/person-view.schema';
import { CONSENT_SCOPES } from '../../referrals/domain/shared-package';
import { REFERRAL_OUTCOMES, REFERRAL_STATES, type ReferralOutcome } from '../../referrals/domain/referral.machine';
import { CONSENT_METHODS } from '../../people/consents/person-consent.entity';
import { COORDINATION_STATUS_LABELS } from '../domain/case.entity';
import { CASE_STATES } from '../domain/case.machine';
import { CASE_COMMAND_LABELS, caseActionParam } from '../domain/case.schemas';
import { ISSUE_TAG_CODES } from '../domain/issue-tags';

const nullableText = z.string().nullable();
const caseState = z.enum(CASE_STATES);

/** What the caller may do now: the machine's actions (POST …/actions/:action) and add-note, record-consent, refer. */
const allowedActions = z.array(z.union([caseActionParam, z.enum(CASE_COMMAND_LABELS.codes)])).describe('What the caller may do now');

/** What a command on a case answers (caseSummary): ids and state, no personal data. */
export const CaseSummarySchema = z
  .object({
    id: z.uuid(),
    caseNumber: z.string(),
    state: caseState,
    version: z.int().min(1),
    persons: z.array(z.object({ personId: z.uuid(), relation: z.string() })),
    allowedActions,
  })
  .meta({ id: 'CaseSummary' });

/** What names a case wherever it is shown whole: in the caseload and on its own page. */
const caseHeader = { id: z.uuid(), caseNumber: z.string(), title: z.string(), state: caseState, version: z.int().min(1) };

/** A line of the caseload (ListCasesHandler): no personal data beyond the case title. */
export const CaseListItemSchema = z
  .object({
    ...caseHeader,
    issues: z.array(z.enum(ISSUE_TAG_CODES)),
    leadDepartmentId: z.uuid(),
    assigneeId: z.uuid().describe('担当: the counselor who opened the case'),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CaseListItem' });

/** A person of the case as the reader's departments hold them (AuditedPersonReader): withheld fields are absent. */
const CasePersonViewSchema = PersonViewSchema.extend({ id: z.uuid(), relation: z.string(), version: z.int().min(1) }).meta({ id: 'CasePersonView' });

/** A person's 本人同意 recorded in this case (the person's consent, seen from the case). */
const ConsentSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    caseId: z.uuid(),
    personId: z.uuid(),
    scope: z.array(z.enum(CONSENT_SCOPES)),
    recipientDepartmentIds: z.array(z.uuid()),
    purpose: z.string(),
    givenOn: z.iso.date(),
    endsOn: z.iso.date().nullable(),
    method: z.enum(CONSENT_METHODS),
    recordedBy: z.uuid().nullable(),
    withdrawnOn: z.iso.date().nullable(),
    withdrawalReason: nullableText,
    version: z.int().min(1),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CaseConsent' });

/** 支援経過記録 (the CaseNote row). */
const CaseNoteSchema = z
  .object({ id: z.uuid(), tenantId: z.uuid(), caseId: z.uuid(), authorId: z.uuid(), departmentId: z.uuid(), body: z.string(), createdAt: z.iso.datetime() })
  .meta({ id: 'CaseNote' });

/** The case detail (GetCaseHandler): header, people as held, consents, notes, referrals, 多機関協働 standing. */
export const CaseDetailSchema = z
  .object({
    ...caseHeader,
    issues: z.array(z.object({ code: z.enum(ISSUE_TAG_CODES), ja: z.string() })),
    summary: nullableText,
    leadDepartment: DepartmentRefSchema,
    household: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    closureReason: nullableText,
    suspensionReason: nullableText,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    persons: z.array(CasePersonViewSchema),
    consents: z.array(ConsentSchema).describe('Consents recorded in this case, and every other consent of its persons (what referrals, meetings and the coordination read)'),
    notes: z.array(CaseNoteSchema),
    referrals: z.array(
      z.object({
        id: z.uuid(),
        fromDepartmentId: z.uuid(),
        toDepartmentId: z.uuid(),
        state: z.enum(REFERRAL_STATES),
        dueOn: z.iso.date(),
        declineReason: nullableText,
        outcome: z.enum(REFERRAL_OUTCOMES.map((o) => o.code) as [ReferralOutcome, ...ReferralOutcome[]]).nullable(),
        outcomeNote: nullableText,
        version: z.int().min(1),
      }),
    ),
    coordination: z.object({
      status: z.enum(COORDINATION_STATUS_LABELS.codes),
      evaluation: z
        .object({
          ruleSetVersion: z.int(),
          candidate: z.boolean(),
          urgent: z.boolean(),
          matched: z.array(z.object({ code: z.string(), label: LabelSchema, because: LabelSchema })),
          evaluatedAt: z.iso.datetime(),
        })
        .nullable()
        .describe('The latest verdict of the 多機関協働 criteria; null before the first'),
    }),
    allowedActions,
  })
  .meta({ id: 'CaseDetail' });

/** One step of the case history as a person reads it (CaseTimelineHandler). */
export const CaseTimelineEntrySchema = z
  .object({
    id: z.int().min(1).describe('The event’s position in the log'),
    at: z.iso.datetime(),
    type: z.string().describe('The event type (code)'),
    aggregate: z.object({ type: z.string(), id: z.uuid(), version: z.int() }),
    actor: z.object({ type: z.string(), id: z.uuid().nullable(), name: nullableText }),
    department: nullableText.describe('The acting department’s name'),
    text: LabelSchema.describe('The step in one sentence, codes shown by their labels'),
    payload: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CaseTimelineEntry' });

export const CaseListPageSchema = pageOf(CaseListItemSchema);
export const CaseTimelinePageSchema = pageOf(CaseTimelineEntrySchema);

/** A record added to a case (a note, a consent): its id. */
export const CaseRecordRefSchema = z.object({ id: z.uuid() }).meta({ id: 'CaseRecordRef' });
