import { z } from 'zod';
import { bilingual } from '../../../platform/http/zod-validation.pipe';
import { personDetailsSchema } from '../../people/domain/person.schemas';
import { CONSENT_SCOPES } from '../../referrals/domain/shared-package';
import { CONSENT_METHODS } from './case.entity';
import { ISSUE_TAG_CODES } from './issue-tags';
import { isoDate, text } from '../../../platform/http/input';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { CASE_STATES } from './case.machine';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

const newPerson = personDetailsSchema.extend({
  relation: text(30),
  email: z.email().optional(),
  sensitive: z
    .strictObject({
      disability: text(200).optional(),
      medicalHistory: text(500).optional(),
      handbooks: z.array(text(50)).max(10).optional(),
      careLevel: text(20).optional(),
    })
    .optional(),
  /**
   * DV等支援措置, asked for at intake: a measure of a year requested by the opening counselor (a protector;
   * name others here), protecting at once and waiting for the manager's approval (POST /people/:id/dv-measures…).
   */
  dvProtected: z.boolean().optional(),
  dvProtectorIds: z.array(z.uuid()).max(10).optional(),
  dvCoversHousehold: z.boolean().optional().describe('The measure covers the household: needs `household` on the case'),
});
const knownPerson = z.strictObject({ personId: z.uuid(), relation: text(30) });
export const casePersonSchema = z.union([knownPerson, newPerson]);
export type CasePersonInput = z.infer<typeof casePersonSchema>;

/** One 宛名番号 names one person: twice in one request is a mistake, not two people. */
const residentNumbersUnique = (persons: CasePersonInput[]) => {
  const numbers = persons.flatMap((p) => ('residentNumber' in p && p.residentNumber ? [p.residentNumber] : []));
  return new Set(numbers).size === numbers.length;
};

export const openCaseSchema = z.strictObject({
  title: text(100),
  issues: z.array(z.enum(ISSUE_TAG_CODES)).min(1).max(20),
  summary: text(2000).optional(),
  /** Defaults to the opener's department; needed only when they work in several. */
  leadDepartmentId: z.uuid().optional(),
  household: z.strictObject({ name: text(100) }).optional(),
  persons: z
    .array(casePersonSchema)
    .min(1)
    .max(20)
    .refine(residentNumbersUnique, bilingual({ ja: '同じ宛名番号が2回指定されています。', en: 'The same resident number is given twice.' })),
});
export type OpenCaseInput = z.infer<typeof openCaseSchema>;

export const CASE_ACTIONS = {
  'start-assessment': 'START_ASSESSMENT',
  'start-support': 'START_SUPPORT',
  'start-monitoring': 'START_MONITORING',
  'resume-support': 'RESUME_SUPPORT',
  close: 'CLOSE',
  suspend: 'SUSPEND',
  reopen: 'REOPEN',
} as const;
export type CaseAction = keyof typeof CASE_ACTIONS;

/** The case's other commands, offered in allowedActions beside the machine's actions. */
export const CASE_COMMAND_LABELS = vocabulary('caseCommand', {
  'add-note': { ja: '支援経過記録を追加', en: 'Add a progress note' },
  'record-consent': { ja: '本人同意を記録', en: 'Record consent' },
  refer: { ja: '他部署へつなぐ', en: 'Refer to another department' },
});
export const caseActionParam = z.enum(Object.keys(CASE_ACTIONS) as [CaseAction, ...CaseAction[]]);

export const actionBodySchema = z.strictObject({
  /** The version you read (or send If-Match). */
  version: z.int().min(1).optional(),
  reason: z.string().trim().max(1000).optional(),
});
export type ActionBody = z.infer<typeof actionBodySchema>;

export const addNoteSchema = z.strictObject({ body: text(5000) });

export const recordConsentSchema = z
  .strictObject({
    personId: z.uuid(),
    scope: z.array(z.enum(CONSENT_SCOPES)).min(1),
    recipientDepartmentIds: z.array(z.uuid()).min(1).max(20),
    givenOn: isoDate,
    method: z.enum(CONSENT_METHODS),
  })
  .refine((c) => new Set(c.scope).size === c.scope.length, bilingual({ ja: '同意範囲が重複しています。', en: 'The scope repeats itself.' }, ['scope']));
export type RecordConsentInput = z.infer<typeof recordConsentSchema>;

export const withdrawConsentSchema = z.strictObject({ withdrawnOn: isoDate, reason: text(500) });

/** Add a household member to an open case: a known person by id or a new one, like at intake. */
export const addCasePersonSchema = z.strictObject({
  /** The case version you read (or send If-Match). */
  version: z.int().min(1).optional(),
  person: casePersonSchema,
});
export type AddCasePersonInput = z.infer<typeof addCasePersonSchema>;

export const removeCasePersonSchema = z.strictObject({ version: z.int().min(1).optional(), reason: text(500) });

export const changeIssuesSchema = z.strictObject({
  version: z.int().min(1).optional(),
  issues: z
    .array(z.enum(ISSUE_TAG_CODES))
    .min(1)
    .max(20)
    .refine((issues) => new Set(issues).size === issues.length, bilingual({ ja: '課題が重複しています。', en: 'An issue repeats.' })),
  reason: text(500).optional(),
});
export type ChangeIssuesInput = z.infer<typeof changeIssuesSchema>;

/** `GET /cases`: the caller's caseload, filtered as counselors and integrations ask for it. */
export const caseListQuery = z.strictObject({
  state: z.enum(CASE_STATES).optional().describe('Only cases in this state'),
  issue: z.enum(ISSUE_TAG_CODES).optional().describe('Only cases carrying this issue tag'),
  departmentId: z.uuid().optional().describe('Only cases this department leads'),
  assigneeId: z.uuid().optional().describe('Only cases this staff member is in charge of (担当: the counselor who opened the case)'),
  updatedSince: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Only cases changed at or after this instant (ISO 8601); to follow changes, pass the last `updatedAt` you saw'),
  ...pageParams,
});
export type CaseListQuery = z.infer<typeof caseListQuery>;

/** `GET /cases/:id/timeline`: paged like every list. */
export const caseTimelineQuery = z.strictObject({ ...pageParams });
export type CaseTimelineInput = z.infer<typeof caseTimelineQuery>;
