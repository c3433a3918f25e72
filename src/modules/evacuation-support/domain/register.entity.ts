import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';
import type { AuditContext } from '../../audit/domain/audit-entry';

export const PROVISION_MODEL_LABELS = vocabulary('provisionModel', {
  opt_in: { ja: '同意方式', en: 'Consent' },
  ordinance: { ja: '条例による提供', en: 'Ordinance' },
});
export const PROVISION_MODELS = PROVISION_MODEL_LABELS.codes;

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

/** How a person came onto the register. */
export const REGISTER_SOURCE_LABELS = vocabulary('registerSource', {
  import: { ja: '名簿情報の取込', en: 'Import' },
  survey: { ja: '調査', en: 'Survey' },
  request: { ja: '関係者からの依頼', en: 'Request' },
  application: { ja: '本人申請', en: 'Application' },
});

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
    source: p.enum(REGISTER_SOURCE_LABELS.codes),
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

/** A candidate import's standing. */
export const REGISTER_IMPORT_STATE_LABELS = vocabulary('registerImportState', {
  parsed: { ja: '確認待ち', en: 'Parsed' },
  importing: { ja: '取込中', en: 'Importing' },
  imported: { ja: '取込済み', en: 'Imported' },
  cancelled: { ja: '取消', en: 'Cancelled' },
  failed: { ja: '取込失敗', en: 'Failed' },
});

/** Who confirmed an import, kept so the job can run (and resume after a restart) on their behalf. */
export interface ImportJob {
  audit: AuditContext;
  keepers: string[];
}

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
    state: p.enum(REGISTER_IMPORT_STATE_LABELS.codes),
    progress: p.integer().default(0),
    imported: p.integer().default(0),
    skipped: p.json<unknown[]>(),
    job: p.json<ImportJob>().nullable(),
    /** Why the last run failed; the import can be confirmed again. */
    failure: p.json<{ ja: string; en: string }>().nullable(),
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

/** What a supporter was given. */
export const PROVISION_KIND_LABELS = vocabulary('provisionKind', {
  roster_view: { ja: '名簿の閲覧', en: 'Roster viewed' },
  roster_download: { ja: '名簿のダウンロード', en: 'Roster downloaded' },
  plans: { ja: '個別避難計画の提供', en: 'Evacuation plans' },
});

/** 名簿提供記録 — who received which people, when, on which basis (and under which disaster). */
export const ProvisionSchema = defineEntity({
  name: 'Provision',
  tableName: 'provisions',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    supporterId: p.uuid(),
    kind: p.enum(PROVISION_KIND_LABELS.codes),
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

/** A yearly renewal's standing. */
export const RENEWAL_CAMPAIGN_STATE_LABELS = vocabulary('renewalCampaignState', {
  running: { ja: '実施中', en: 'Running' },
  completed: { ja: '完了', en: 'Completed' },
});

export const RenewalCampaignSchema = defineEntity({
  name: 'RenewalCampaign',
  tableName: 'renewal_campaigns',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    year: p.integer(),
    state: p.enum(RENEWAL_CAMPAIGN_STATE_LABELS.codes),
    total: p.integer(),
    processed: p.integer().default(0),
    report: p.json<Record<string, number>>(),
    startedBy: p.uuid(),
    startedAt: p.datetime().onCreate(() => new Date()),
    finishedAt: p.datetime().nullable(),
  },
});
export type RenewalCampaign = InferEntity<typeof RenewalCampaignSchema>;

/** A supporter's task to return or destroy a removed entry. */
export const RETURN_TASK_STATE_LABELS = vocabulary('returnTaskState', {
  open: { ja: '未対応', en: 'Open' },
  done: { ja: '返却・廃棄済み', en: 'Done' },
});

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
    state: p.enum(RETURN_TASK_STATE_LABELS.codes),
    createdAt: p.datetime().onCreate(() => new Date()),
    doneAt: p.datetime().nullable(),
  },
});
export type ReturnTask = InferEntity<typeof ReturnTaskSchema>;
