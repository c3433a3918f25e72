import { z } from 'zod';
import { bilingual } from '../../../platform/http/zod-validation.pipe';
import { personDetailsSchema } from '../../people/domain/person.schemas';
import { eligibilityRulesSchema } from './eligibility';
import { PROVISION_MODELS } from './register.entity';
import { REGISTER_ACTIONS, REGISTER_STATES } from './register.machine';
import { text } from '../../../platform/http/input';
import { pageParams } from '../../../platform/http/api-contract/paging';

export const settingsSchema = z.strictObject({
  version: z.int().min(0),
  eligibilityRules: eligibilityRulesSchema,
  provisionModel: z.enum(PROVISION_MODELS),
  /** Required under the ordinance model: the 条例 article that provides for it. */
  ordinanceArticle: text(200).optional(),
}).refine((s) => s.provisionModel === 'opt_in' || !!s.ordinanceArticle, bilingual({ ja: '条例による提供には条例の条項が必要です。', en: 'The ordinance model needs the article.' }, ['ordinanceArticle']));

export const factsSchema = z.strictObject({
  careLevel: z.enum(['要支援1', '要支援2', '要介護1', '要介護2', '要介護3', '要介護4', '要介護5']).nullish(),
  physicalHandbookGrade: z.int().min(1).max(6).nullish(),
  ryoikuGrade: z.enum(['A', 'A1', 'A2', 'B', 'B1', 'B2']).nullish(),
  mentalHandbookGrade: z.int().min(1).max(3).nullish(),
  intractableDisease: z.boolean().default(false),
  livingAlone: z.boolean().default(false),
});

export const addEntrySchema = z.strictObject({
  /** survey = 長寿課's 高齢者実態把握調査; request = a neighbour's or relative's; application = the person's own. */
  source: z.enum(['survey', 'request', 'application']),
  personId: z.uuid().optional(),
  // The register needs an address: it is where help goes.
  person: personDetailsSchema.extend({ address: text(200) }).optional(),
  districtCode: text(20),
  facts: factsSchema.default({ intractableDisease: false, livingAlone: false }),
  needsHelpReason: text(500).optional(),
  householdSituation: text(200).optional(),
}).refine((e) => !!e.personId !== !!e.person, bilingual({ ja: 'personId か person のどちらか一方を指定してください。', en: 'Give either personId or person.' }, ['person']));
export type AddEntryInput = z.infer<typeof addEntrySchema>;

type RegisterAction = keyof typeof REGISTER_ACTIONS;
export const entryActionParam = z.enum(Object.keys(REGISTER_ACTIONS) as [RegisterAction, ...RegisterAction[]]);
export const entryActionBodySchema = z.strictObject({
  version: z.int().min(1).optional(),
  provision: z.enum(['consent', 'refused', 'ordinance']).optional(),
  reason: z.enum(['death', 'moved_out', 'facility', 'not_eligible', 'own_request']).optional(),
});

export const bulkNoticeSchema = z.strictObject({ entryIds: z.array(z.uuid()).max(5000).optional() });
export const disasterSchema = z.strictObject({ kind: text(50), title: text(200), districtCodes: z.array(text(20)).min(1).max(50) });
export const planSchema = z.strictObject({
  version: z.int().min(0),
  personConsent: z.literal(true, { error: 'A plan is made only with the person’s consent (災対法49条の14).' }),
  helper: z.strictObject({ name: text(100), address: text(200), phone: text(30) }),
  helperConsent: z.boolean(),
  shelter: text(200),
  route: text(1000),
  careNotes: text(2000).optional(),
  medicalDevices: text(500).optional(),
  medication: text(1000).optional(),
  emergencyContacts: z.array(z.strictObject({ name: text(100), relation: text(50), phone: text(30) })).max(5).default([]),
});
export type PlanInput = z.infer<typeof planSchema>;
export const renewalSchema = z.strictObject({ year: z.int().min(2000).max(2100) });
const district = text(20).describe('地区 code');
/** The whole roster of the caller's 地区 (or one of them): the CSV download, one provision. */
export const rosterQuery = z.strictObject({ district: district.optional() });
export type RosterQuery = z.infer<typeof rosterQuery>;
/** A page of the roster: each page viewed is a provision of the people on it. */
export const rosterPageQuery = rosterQuery.extend(pageParams);
export type RosterPageQuery = z.infer<typeof rosterPageQuery>;

export const entriesQuery = z.strictObject({
  districtCode: district.optional(),
  state: z.enum(REGISTER_STATES).optional(),
  eligible: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: met at least one eligibility criterion; false: met none'),
  ...pageParams,
});
export type EntriesQuery = z.infer<typeof entriesQuery>;

export const importReportQuery = z.strictObject({
  from: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('First rejected and skipped row to list (20 a page)'),
});
export const importAction = z.enum(['confirm', 'cancel']);
