import { z } from 'zod';
import { LabelSchema } from '../../../platform/http/api-contract/common.schemas';
import { PersonViewSchema } from '../../people/person-view.schema';
import { PERSON_FIELDS, type PersonField } from '../../referrals/domain/shared-package';
import { CSV_ENCODING_LABELS } from '../../../platform/csv/csv';
import { eligibilityRulesSchema } from '../domain/eligibility';
import { PROVISION_MODELS, REGISTER_IMPORT_STATE_LABELS, REGISTER_SOURCE_LABELS, RENEWAL_CAMPAIGN_STATE_LABELS, RETURN_TASK_STATE_LABELS } from '../domain/register.entity';
import { PROVISION_ANSWERS, REGISTER_STATES, REMOVAL_REASONS, type ProvisionAnswer, type RemovalReason } from '../domain/register.machine';
import { entryActionParam, planSchema } from '../domain/register.schemas';
import { ROSTER_BASES } from '../rosters';

const nullableText = z.string().nullable();
const date = z.iso.date().describe('YYYY-MM-DD');
/** Null where the person has none, or where this reader may not see it (then named in `withheldFields`). */
const personName = PersonViewSchema.shape.name.unwrap().nullable();
const withheldFields = z.array(z.enum(PERSON_FIELDS as [PersonField, ...PersonField[]])).describe('Fields asked for but withheld from this reader (DV protection, not held): their values are null');
const provisionAnswer = z.enum(PROVISION_ANSWERS.map((a) => a.code) as [ProvisionAnswer, ...ProvisionAnswer[]]);
const removalReason = z.enum(REMOVAL_REASONS.map((r) => r.code) as [RemovalReason, ...RemovalReason[]]);

export const RegisterSettingsSchema = z
  .object({
    rules: eligibilityRulesSchema,
    provisionModel: z.enum(PROVISION_MODELS),
    ordinanceArticle: nullableText.describe('The 条例 article under the ordinance model'),
    version: z.int().min(0).describe('0 until first saved'),
  })
  .meta({ id: 'RegisterSettings' });

export const RegisterSettingsSavedSchema = z.object({ version: z.int().min(1) }).meta({ id: 'RegisterSettingsSaved' });

const rowNote = { ja: z.string(), en: z.string() };
/** An import's report: rejected and skipped rows 20 at a time from `page.from`. */
export const RegisterImportReportSchema = z
  .object({
    id: z.uuid(),
    statusUrl: z.string().describe('Where to follow the import: GET it until `state` is imported or failed'),
    state: z.enum(REGISTER_IMPORT_STATE_LABELS.codes),
    encoding: z.enum(CSV_ENCODING_LABELS.codes),
    totalRows: z.int().min(0),
    validRows: z.int().min(0),
    rejectedRows: z.int().min(0),
    rejected: z.array(z.object({ line: z.int(), residentNumber: nullableText, problems: z.array(z.object({ column: z.string(), ...rowNote })) })),
    progress: z.object({ done: z.int().min(0), total: z.int().min(0) }),
    failure: z.object(rowNote).nullable().describe('Why the last run failed (state failed); confirm again to retry'),
    imported: z.int().min(0),
    skippedRows: z.int().min(0),
    skipped: z.array(z.object({ line: z.int(), residentNumber: z.string(), ...rowNote })),
    page: z.object({ from: z.int().min(0), rows: z.int().min(1) }),
    version: z.int().min(1),
  })
  .meta({ id: 'RegisterImportReport' });

/** A register entry as its keepers read it (the register's own basis, DMA_ROSTER_INTERNAL). */
export const RegisterEntrySchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    residentNumber: nullableText.describe('宛名番号'),
    name: personName,
    birthDate: date.nullable(),
    address: nullableText,
    contactWithheld: z.boolean(),
    withheldFields,
    districtCode: z.string(),
    state: z.enum(REGISTER_STATES),
    version: z.int().min(1),
    source: z.enum(REGISTER_SOURCE_LABELS.codes),
    eligible: z.boolean(),
    eligibility: z.array(z.object({ code: z.string(), label: LabelSchema, because: LabelSchema })).describe('The criteria met, and why'),
    needsHelpReason: nullableText,
    provision: provisionAnswer.nullable(),
    removalReason: removalReason.nullable(),
    plan: z
      .object({ id: z.uuid(), version: z.int().min(1), helperConsent: z.boolean(), details: planSchema.omit({ version: true, personConsent: true }).optional().describe('The plan itself: only in GET entries/:id') })
      .nullable(),
    allowedActions: z.array(z.union([entryActionParam, z.literal('save-plan')])).describe('What the caller may do now: POST …/actions/:action, or save-plan (PUT …/plan)'),
  })
  .meta({ id: 'RegisterEntry' });

export const RegisterEntryAddedSchema = z
  .object({ id: z.uuid(), state: z.enum(REGISTER_STATES), eligible: z.boolean(), version: z.int().min(1) })
  .meta({ id: 'RegisterEntryAdded' });

export const RegisterEntryMovedSchema = z
  .object({ id: z.uuid(), state: z.enum(REGISTER_STATES), version: z.int().min(1), provision: provisionAnswer.nullable() })
  .meta({ id: 'RegisterEntryMoved' });

export const EvacuationPlanSavedSchema = z.object({ id: z.uuid(), version: z.int().min(1) }).meta({ id: 'EvacuationPlanSaved' });

export const NoticesSentSchema = z.object({ sent: z.int().min(0).describe('Entries moved on') }).meta({ id: 'NoticesSent' });

const { helper, emergencyContacts } = planSchema.shape;
/** A roster row: the person as this supporter may see them, on which basis, under which receipt. */
export const RosterRowSchema = z
  .object({
    personId: z.uuid(),
    name: personName,
    kana: PersonViewSchema.shape.kana.unwrap().nullable(),
    birthDate: date.nullable(),
    sex: PersonViewSchema.shape.sex.unwrap().nullable(),
    address: nullableText,
    phone: nullableText,
    contactWithheld: z.boolean().describe('DV protection withheld address and contacts from this reader'),
    withheldFields,
    districtCode: z.string(),
    needsHelpReason: nullableText,
    householdSituation: nullableText,
    basis: z.enum(ROSTER_BASES),
    disasterId: z.uuid().nullable().describe('The declared disaster the provision rests on'),
    receiptNumber: z.string().describe('The provision record (名簿提供記録) this row was given under'),
    plan: z
      .object({
        helper,
        shelter: z.string(),
        route: z.string(),
        careNotes: nullableText,
        medicalDevices: nullableText,
        medication: nullableText,
        emergencyContacts: emergencyContacts.unwrap(),
      })
      .optional()
      .describe('個別避難計画: only in GET plans'),
  })
  .meta({ id: 'RosterRow' });

const disasterFields = {
  id: z.uuid(),
  closedAt: z.iso.datetime().nullable(),
};
export const DisasterSchema = z
  .object({
    ...disasterFields,
    kind: z.string(),
    title: z.string(),
    districtCodes: z.array(z.string()),
    declaredBy: z.uuid(),
    declaredAt: z.iso.datetime(),
    closedBy: z.uuid().nullable(),
    version: z.int().min(1),
  })
  .meta({ id: 'Disaster' });
export const DisasterChangedSchema = z.object(disasterFields).meta({ id: 'DisasterChanged' });

export const RenewalCampaignSchema = z
  .object({
    id: z.uuid(),
    year: z.int(),
    state: z.enum(RENEWAL_CAMPAIGN_STATE_LABELS.codes),
    total: z.int().min(0),
    processed: z.int().min(0),
    report: z.record(z.string(), z.number()).describe('Counts by outcome, e.g. noticesSent'),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'RenewalCampaign' });
export const RenewalCampaignStartedSchema = RenewalCampaignSchema.pick({ id: true, state: true, total: true }).meta({ id: 'RenewalCampaignStarted' });

export const ReturnTaskSchema = z
  .object({
    id: z.uuid(),
    entryId: z.uuid(),
    personId: z.uuid(),
    reason: removalReason,
    state: z.enum(RETURN_TASK_STATE_LABELS.codes),
    createdAt: z.iso.datetime(),
    doneAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ReturnTask' });
export const ReturnTaskDoneSchema = ReturnTaskSchema.pick({ id: true, state: true }).meta({ id: 'ReturnTaskDone' });

/** One row per 地区 and one for all (`district: "all"`): as few as the tenant has 地区. */
export const RegisterFiguresSchema = z
  .array(
    z
      .object({
        district: z.string().describe('地区 code, or "all"'),
        listed: z.int().min(0),
        sharedInNormalTimes: z.int().min(0),
        sharedPercent: z.number().nullable().describe('null when nobody is listed'),
        plansMade: z.int().min(0),
        plansPercent: z.number().nullable(),
        pendingAnswers: z.int().min(0),
      })
      .meta({ id: 'RegisterDistrictFigures' }),
  )
  .meta({ id: 'RegisterFigures' });
