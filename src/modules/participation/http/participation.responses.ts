import { z } from 'zod';
import { CONSENT_METHODS } from '../../people/consents/person-consent.entity';
import { CSV_ENCODING_LABELS } from '../../../platform/csv/csv';
import { CONNECTION_END_REASONS, CONNECTION_STATES } from '../domain/connection.machine';
import { connectionActionParam } from '../domain/participation.schemas';
import { VOLUNTEER_KIND_LABELS, VOLUNTEER_STATE_LABELS } from '../domain/volunteer.entity';
import { WINDOW_VISIT_OUTCOME_LABELS } from '../domain/window-visit.entity';
import { PARTICIPATION_WISH_LABELS, RESOURCE_ACTION_LABELS, RESOURCE_KIND_LABELS, RESOURCE_STATE_LABELS, RESOURCE_TAG_LABELS, WEEKDAY_LABELS } from '../domain/resource.entity';

const nullableText = z.string().nullable();
const date = z.iso.date();
const localized = z.object({ ja: z.string(), en: z.string() }).meta({ id: 'ParticipationReason' });

/** A 社会資源 entry of the directory: an organisation's facts, no resident's data. */
export const ParticipationResourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(RESOURCE_KIND_LABELS.codes),
    ownerDepartmentId: z.uuid(),
    districtCode: z.string(),
    address: nullableText,
    days: z.array(z.enum(WEEKDAY_LABELS.codes)),
    hours: nullableText,
    capacity: z.int().nullable(),
    freePlaces: z.int().nullable(),
    costs: nullableText,
    accessibility: nullableText,
    languages: z.array(z.string()),
    runBy: nullableText,
    contact: nullableText.describe('The organisation’s contact'),
    tags: z.array(z.enum(RESOURCE_TAG_LABELS.codes)),
    conditions: nullableText,
    state: z.enum(RESOURCE_STATE_LABELS.codes),
    closedReason: nullableText,
    full: z.boolean().describe('No free place left: never proposed, connecting refused'),
    asOf: date.describe('The day the facts were last confirmed'),
    stale: z.boolean().describe('Not confirmed for 6 months: to review'),
    version: z.int().min(1),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    allowedActions: z.array(z.enum(RESOURCE_ACTION_LABELS.codes)),
  })
  .meta({ id: 'ParticipationResource' });

export const ParticipationProposalsSchema = z
  .object({
    wish: z.object({
      wish: z.enum(PARTICIPATION_WISH_LABELS.codes).optional(),
      districtCode: z.string().optional(),
      neighbourDistrictCodes: z.array(z.string()).optional().describe('隣接地区: the 地区 next to districtCode, proposed after it'),
      tags: z.array(z.string()),
      days: z.array(z.string()),
    }),
    items: z.array(
      z.object({
        resource: ParticipationResourceSchema,
        score: z.int(),
        reasons: z.array(localized).describe('Why it fits, in both languages'),
      }),
    ),
  })
  .meta({ id: 'ParticipationProposals' });

/** つなぎ先: who was connected to what, what the host was told (fields, no values) and how it goes. */
export const ParticipationConnectionSchema = z
  .object({
    id: z.uuid(),
    resourceId: z.uuid(),
    personId: z.uuid(),
    caseId: z.uuid(),
    planTaskId: z.uuid().nullable(),
    departmentId: z.uuid(),
    wish: z.enum(PARTICIPATION_WISH_LABELS.codes),
    sharedFields: z.array(z.string()).describe('The fields the host is (or was) told'),
    personConsentId: z.uuid().describe('The person’s consent the host is told on (see /people/:id/consents)'),
    volunteerIds: z.array(z.uuid()).describe('人財 who accompany or host the person'),
    disclosureId: z.uuid().nullable().describe('The receipt of what the host was told (on introduce)'),
    state: z.enum(CONNECTION_STATES),
    followUpOn: date.nullable(),
    followUpDue: z.boolean().describe('The follow-up day has passed: a task'),
    startedOn: date.nullable(),
    endedOn: date.nullable(),
    endReason: z.enum(CONNECTION_END_REASONS).nullable(),
    note: nullableText,
    version: z.int().min(1),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    allowedActions: z.array(connectionActionParam),
  })
  .meta({ id: 'ParticipationConnection' });

export const ParticipationResourceImportSchema = z
  .object({
    encoding: z.enum(CSV_ENCODING_LABELS.codes),
    dryRun: z.boolean(),
    totalRows: z.int().min(0),
    created: z.int().min(0),
    rejected: z.array(z.object({ line: z.int().min(1), name: z.string().nullable(), problems: z.array(localized) })).describe('Each row not imported, with what is wrong'),
  })
  .meta({ id: 'ParticipationResourceImport' });

/** 人財: a person listed with their consent; the contact only for those the ability allows. */
export const VolunteerSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(VOLUNTEER_KIND_LABELS.codes),
    ownerDepartmentId: z.uuid(),
    skills: z.array(z.string()),
    days: z.array(z.enum(WEEKDAY_LABELS.codes)),
    availability: nullableText,
    districtCodes: z.array(z.string()).describe('The 地区 the person can reach'),
    contact: nullableText.describe('Only with consent to be contacted, and only to counselors, coordinators and 社協 staff'),
    contactWithheld: z.boolean().describe('A contact exists but is not shown to the caller'),
    contactConsent: z.boolean(),
    listingConsent: z.object({ givenOn: date, method: z.enum(CONSENT_METHODS) }),
    state: z.enum(VOLUNTEER_STATE_LABELS.codes),
    version: z.int().min(1),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Volunteer' });

/** 相談窓口の利用: one visit to a window, the resident by id or a count of anonymous visitors. */
export const WindowVisitSchema = z
  .object({
    id: z.uuid(),
    departmentId: z.uuid().describe('The department whose window received the visit'),
    visitedOn: date,
    districtCode: z.string(),
    personId: z.uuid().nullable().describe('The resident; null for anonymous visitors'),
    caseId: z.uuid().nullable(),
    visitors: z.int().min(1),
    wishes: z.array(z.enum(PARTICIPATION_WISH_LABELS.codes)),
    outcome: z.enum(WINDOW_VISIT_OUTCOME_LABELS.codes),
    note: nullableText,
    version: z.int().min(1),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'WindowVisit' });
