import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PROVISION_MODELS = ['opt_in', 'ordinance'] as const;

/** Per municipality: who qualifies, and whether normal-time sharing needs consent or rests on a 条例. */
export const EvacuationSettingsSchema = defineEntity({
  name: 'EvacuationSettings',
  tableName: 'evacuation_settings',
  properties: {
    tenantId: p.uuid().primary(),
    eligibilityRules: p.json<unknown>(),
    provisionModel: p.enum(PROVISION_MODELS),
    /** The 条例 article that allows provision unless the person refuses. */
    ordinanceArticle: p.string().nullable(),
    version: p.integer().version(),
  },
});
export type EvacuationSettings = InferEntity<typeof EvacuationSettingsSchema>;

/** 避難行動要支援者名簿 — one entry per person. */
export const RegisterEntrySchema = defineEntity({
  name: 'RegisterEntry',
  tableName: 'register_entries',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    personId: p.uuid(),
    residentNumber: p.string().nullable(),
    districtCode: p.string(),
    state: p.string(),
    machine: p.string(),
    source: p.enum(['import', 'survey', 'request', 'application'] as const),
    eligible: p.boolean(),
    eligibility: p.json<{ code: string; label: { ja: string; en: string }; because: { ja: string; en: string } }[]>(),
    /** 避難支援等を必要とする事由 — sensitive (要配慮個人情報). */
    needsHelpReason: p.text().nullable(),
    householdSituation: p.text().nullable(),
    facts: p.json<Record<string, unknown>>(),
    provision: p.enum(['consent', 'refused', 'ordinance'] as const).nullable(),
    removalReason: p.string().nullable(),
    registeredOn: p.string().columnType('date').nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type RegisterEntry = InferEntity<typeof RegisterEntrySchema>;

export const RegisterImportSchema = defineEntity({
  name: 'RegisterImport',
  tableName: 'register_imports',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    encoding: p.string(),
    totalRows: p.integer(),
    rows: p.json<unknown[]>(),
    rejected: p.json<unknown[]>(),
    state: p.enum(['parsed', 'importing', 'imported', 'cancelled'] as const),
    progress: p.integer().default(0),
    imported: p.integer().default(0),
    skipped: p.json<unknown[]>(),
    createdBy: p.uuid(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type RegisterImport = InferEntity<typeof RegisterImportSchema>;

export const DisasterSchema = defineEntity({
  name: 'Disaster',
  tableName: 'disasters',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    kind: p.string(),
    title: p.string(),
    districtCodes: p.array(),
    declaredBy: p.uuid(),
    declaredAt: p.datetime().onCreate(() => new Date()),
    closedBy: p.uuid().nullable(),
    closedAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});
export type Disaster = InferEntity<typeof DisasterSchema>;

/** 名簿提供記録 — who received which people, when, on which basis (and under which disaster). */
export const ProvisionSchema = defineEntity({
  name: 'Provision',
  tableName: 'provisions',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    supporterId: p.uuid(),
    kind: p.enum(['roster_view', 'roster_download', 'plans'] as const),
    basis: p.string(),
    disasterId: p.uuid().nullable(),
    districtCodes: p.array(),
    personIds: p.array(),
    fields: p.array(),
    receiptNumber: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Provision = InferEntity<typeof ProvisionSchema>;

/** 個別避難計画 — created with the person's consent; shared in normal times only with the helper's too. */
export const EvacuationPlanSchema = defineEntity({
  name: 'EvacuationPlan',
  tableName: 'evacuation_plans',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    entryId: p.uuid(),
    personConsent: p.boolean(),
    /** 避難支援等実施者 — the named helper. */
    helper: p.json<{ name: string; address: string; phone: string }>(),
    helperConsent: p.boolean(),
    shelter: p.string(),
    route: p.text(),
    careNotes: p.text().nullable(),
    medicalDevices: p.text().nullable(),
    medication: p.text().nullable(),
    emergencyContacts: p.json<{ name: string; relation: string; phone: string }[]>(),
    createdBy: p.uuid(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type EvacuationPlan = InferEntity<typeof EvacuationPlanSchema>;

export const RenewalCampaignSchema = defineEntity({
  name: 'RenewalCampaign',
  tableName: 'renewal_campaigns',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    year: p.integer(),
    state: p.enum(['running', 'completed'] as const),
    total: p.integer(),
    processed: p.integer().default(0),
    report: p.json<Record<string, number>>(),
    startedBy: p.uuid(),
    startedAt: p.datetime().onCreate(() => new Date()),
    finishedAt: p.datetime().nullable(),
  },
});
export type RenewalCampaign = InferEntity<typeof RenewalCampaignSchema>;

/** A supporter holding a removed person's data must return or destroy it. */
export const ReturnTaskSchema = defineEntity({
  name: 'ReturnTask',
  tableName: 'return_tasks',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    supporterId: p.uuid(),
    entryId: p.uuid(),
    personId: p.uuid(),
    reason: p.string(),
    state: p.enum(['open', 'done'] as const),
    createdAt: p.datetime().onCreate(() => new Date()),
    doneAt: p.datetime().nullable(),
  },
});
export type ReturnTask = InferEntity<typeof ReturnTaskSchema>;
