import { z } from 'zod';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { bilingual, isoDate, queryFlag, text } from '../../../platform/http/input';
import { CONSENT_METHODS } from '../../people/consents/person-consent.entity';
import { PERSON_FIELDS, type PersonField } from '../../referrals/domain/shared-package';
import { CONNECTION_END_REASONS, CONNECTION_STATES } from './connection.machine';
import { VOLUNTEER_KIND_LABELS, VOLUNTEER_STATE_LABELS } from './volunteer.entity';
import { PARTICIPATION_WISH_LABELS, RESOURCE_KIND_LABELS, RESOURCE_TAG_LABELS, WEEKDAY_LABELS } from './resource.entity';

const optionalText = (max: number) => text(max).nullable().optional();
const districtCode = text(20).describe('A 地区 code of the municipality (A, B …)');
const tags = z.array(z.enum(RESOURCE_TAG_LABELS.codes)).max(20);
const days = z.array(z.enum(WEEKDAY_LABELS.codes)).max(7);
const places = z.int().min(0).max(100_000);

/** The editable facts of a 社会資源 entry; create requires the owner, the kind, the name and the 地区. */
const resourceFields = {
  name: text(200),
  kind: z.enum(RESOURCE_KIND_LABELS.codes),
  ownerDepartmentId: z.uuid().describe('The department that keeps this entry up to date'),
  districtCode,
  address: optionalText(300),
  days: days.optional(),
  hours: optionalText(200),
  capacity: places.nullable().optional(),
  freePlaces: places.nullable().optional().describe('Free places now; 0 means full (never proposed)'),
  costs: optionalText(300),
  accessibility: optionalText(500),
  languages: z.array(text(30)).max(20).optional(),
  runBy: optionalText(200),
  contact: optionalText(300),
  tags: tags.optional(),
  conditions: optionalText(1000),
  asOf: isoDate.optional().describe('The day the facts were confirmed; default today'),
};

const placesWithinCapacity = (r: { capacity?: number | null; freePlaces?: number | null }) => r.capacity == null || r.freePlaces == null || r.freePlaces <= r.capacity;
const withinCapacity = bilingual({ ja: '空き数が定員を超えています。', en: 'Free places exceed the capacity.' }, ['freePlaces']);

export const createResourceSchema = z.strictObject(resourceFields).refine(placesWithinCapacity, withinCapacity);
export type CreateResourceInput = z.infer<typeof createResourceSchema>;

export const updateResourceSchema = z
  .strictObject({ version: z.int().min(1).optional(), ...z.object(resourceFields).partial().shape })
  .refine(placesWithinCapacity, withinCapacity);
export type UpdateResourceInput = z.infer<typeof updateResourceSchema>;

export const closeResourceSchema = z.strictObject({ version: z.int().min(1).optional(), reason: text(500) });
export type CloseResourceInput = z.infer<typeof closeResourceSchema>;

const flag = queryFlag;

export const resourceListQuery = z.strictObject({
  q: text(100).optional().describe('Words in the name, who runs it, the address or the conditions'),
  tag: z.enum(RESOURCE_TAG_LABELS.codes).optional(),
  kind: z.enum(RESOURCE_KIND_LABELS.codes).optional(),
  districtCode: districtCode.optional(),
  day: z.enum(WEEKDAY_LABELS.codes).optional(),
  near: flag('true with districtCode: its neighbouring 地区 (隣接地区) too'),
  stale: flag(`true: only entries not confirmed for 6 months (to review); false: only the others`),
  includeClosed: flag('true: closed entries too'),
  ...pageParams,
});
export type ResourceListQuery = z.infer<typeof resourceListQuery>;

/** What the person wishes, for matching: a plan task gives the case's issues as needs. Nothing wished, nothing proposed. */
export const proposalQuery = z.strictObject({
  planTaskId: z.uuid().optional().describe('A 参加支援 task of a 支援プラン: the case issues count as needs'),
  wish: z.enum(PARTICIPATION_WISH_LABELS.codes).optional().describe('work, volunteering or a place to go'),
  districtCode: districtCode.optional().describe('Where the person lives or can reach'),
  tags: z
    .string()
    .max(300)
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
    .pipe(z.array(z.enum(RESOURCE_TAG_LABELS.codes)).max(20))
    .describe('Needs, comma-separated (e.g. employment,part_time)'),
  days: z
    .string()
    .max(50)
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
    .pipe(days)
    .describe('Days the person can, comma-separated (mon,tue…)'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type ProposalQuery = z.infer<typeof proposalQuery>;

const personFields = z.array(z.enum(PERSON_FIELDS as [PersonField, ...PersonField[]])).min(1).max(PERSON_FIELDS.length);

export const connectSchema = z
  .strictObject({
    resourceId: z.uuid(),
    personId: z.uuid(),
    caseId: z.uuid().optional().describe('The case the person is worked in (a window visit is a case too); implied by planTaskId'),
    planTaskId: z.uuid().optional().describe('The 参加支援 task this connection answers'),
    wish: z.enum(PARTICIPATION_WISH_LABELS.codes).optional().describe('Default: what the resource offers'),
    share: personFields.describe('The fields the host is told, and no more (e.g. name, phone)'),
    consent: z
      .union([
        z.strictObject({ consentId: z.uuid().describe('A live consent of the person naming this host and covering the shared fields') }),
        z.strictObject({
          givenOn: isoDate,
          method: z.enum(CONSENT_METHODS),
          fields: personFields.describe('What the person agreed the host may be told'),
          purpose: text(500).optional().describe('Default: introduction to this host'),
          endsOn: isoDate.optional(),
        }),
      ])
      .optional()
      .describe('The person’s consent to tell the host the shared fields, required: an existing person consent, or one recorded now (recipient: this host; the field groups of the fields agreed)'),
    volunteerIds: z
      .array(z.uuid())
      .max(10)
      .refine((ids) => new Set(ids).size === ids.length, bilingual({ ja: '人財が重複しています。', en: 'A volunteer is named twice.' }))
      .optional()
      .describe('Listed 人財 who accompany or host the person'),
    followUpOn: isoDate.optional().describe('When to check how it goes; default in a month'),
    note: text(2000).optional(),
  })
  .refine((c) => c.caseId || c.planTaskId, bilingual({ ja: 'ケースか参加支援タスクを指定してください。', en: 'Give the case or the participation task.' }, ['caseId']));
export type ConnectInput = z.infer<typeof connectSchema>;

export const CONNECTION_ACTIONS = { introduce: 'INTRODUCE', start: 'START', continue: 'CONTINUE', 'follow-up': 'FOLLOW_UP', end: 'END' } as const;
export type ConnectionAction = keyof typeof CONNECTION_ACTIONS;
export const connectionActionParam = z.enum(Object.keys(CONNECTION_ACTIONS) as [ConnectionAction, ...ConnectionAction[]]);

export const connectionActionBodySchema = z.strictObject({
  version: z.int().min(1).optional(),
  on: isoDate.optional().describe('When it happened (start, end); default today'),
  followUpOn: isoDate.nullable().optional().describe('The next follow-up; null for none'),
  reason: z.enum(CONNECTION_END_REASONS).optional().describe('end: why'),
  note: text(2000).optional(),
});
export type ConnectionActionBody = z.infer<typeof connectionActionBodySchema>;

export const connectionListQuery = z.strictObject({
  state: z.enum(CONNECTION_STATES).optional(),
  resourceId: z.uuid().optional(),
  personId: z.uuid().optional(),
  followUpDue: flag('true: only live connections whose follow-up day has passed (the follow-up tasks)'),
  ...pageParams,
});
export type ConnectionListQuery = z.infer<typeof connectionListQuery>;

export const CONNECTION_EVENTS = {
  INTRODUCE: 'ParticipantIntroduced',
  START: 'ParticipationStarted',
  CONTINUE: 'ParticipationContinued',
  FOLLOW_UP: 'ParticipationFollowedUp',
  END: 'ParticipationEnded',
} as const;

const volunteerFields = {
  name: text(100),
  kind: z.enum(VOLUNTEER_KIND_LABELS.codes),
  ownerDepartmentId: z.uuid().describe('The department (or 社協 desk) that keeps the entry'),
  skills: z.array(text(50)).max(30).optional(),
  days: days.optional(),
  availability: optionalText(300),
  districtCodes: z.array(text(20)).max(30).optional().describe('The 地区 the person can reach'),
  contact: optionalText(300),
  contactConsent: z.boolean().optional().describe('The person agreed to be contacted; without it the contact is shown to nobody'),
};

export const createVolunteerSchema = z.strictObject({
  ...volunteerFields,
  listingConsent: z
    .strictObject({ givenOn: isoDate, method: z.enum(CONSENT_METHODS) })
    .optional()
    .describe('The person’s consent to be listed: required'),
});
export type CreateVolunteerInput = z.infer<typeof createVolunteerSchema>;

export const updateVolunteerSchema = z.strictObject({
  version: z.int().min(1).optional(),
  ...z.object(volunteerFields).partial().shape,
  state: z.enum(VOLUNTEER_STATE_LABELS.codes).optional().describe('withdrawn: the person no longer wants to be listed'),
});
export type UpdateVolunteerInput = z.infer<typeof updateVolunteerSchema>;

export const volunteerListQuery = z.strictObject({
  q: text(100).optional().describe('Words in the name or a skill'),
  districtCode: text(20).optional().describe('Only people who can reach this 地区'),
  day: z.enum(WEEKDAY_LABELS.codes).optional(),
  kind: z.enum(VOLUNTEER_KIND_LABELS.codes).optional(),
  ...pageParams,
});
export type VolunteerListQuery = z.infer<typeof volunteerListQuery>;
