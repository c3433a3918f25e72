import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';
import { dvProtectorsSql } from './dv-measure.entity';

/** 世帯 — a household. */
export const HouseholdSchema = defineEntity({
  name: 'Household',
  tableName: 'households',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    name: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Household = InferEntity<typeof HouseholdSchema>;

/** 要配慮個人情報 — sensitive attributes: only shown to those who need them. */
export interface SensitiveAttributes {
  disability?: string;
  medicalHistory?: string;
  handbooks?: string[];
  careLevel?: string;
}

export const SEX_LABELS = vocabulary('sex', {
  female: { ja: '女性', en: 'Female' },
  male: { ja: '男性', en: 'Male' },
  other: { ja: 'その他', en: 'Other' },
  unknown: { ja: '不明', en: 'Unknown' },
});
export const SEXES = SEX_LABELS.codes;

/** One person, the same model across cases and the evacuation register. */
export const PersonSchema = defineEntity({
  name: 'Person',
  tableName: 'persons',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    householdId: p.uuid().nullable(),
    /** The department that collected the record for its own duties: it holds every field. */
    collectedByDepartmentId: p.uuid().nullable(),
    /** 宛名番号: the basic resident register's key for this person; unique per tenant, optional. */
    residentNumber: p.string().nullable(),
    familyName: p.string(),
    givenName: p.string(),
    familyNameKana: p.string().nullable(),
    givenNameKana: p.string().nullable(),
    birthDate: p.string().columnType('date').nullable(),
    sex: p.enum(SEXES).default('unknown'),
    address: p.string().nullable(),
    phone: p.string().nullable(),
    email: p.string().nullable(),
    sensitive: p.json<SensitiveAttributes>(),
    /**
     * DV等支援措置 in force today (dv_measures, decided in SQL by person_dv_protectors: see dv-protection.ts):
     * address and contacts are never output to anyone but the named protectors. Read-only.
     */
    dvProtected: p.boolean().formula((cols) => `(${dvProtectorsSql(cols.id)} is not null)`).persist(false),
    dvProtectorIds: p.array().formula((cols) => `coalesce(${dvProtectorsSql(cols.id)}, '{}')`).persist(false),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Person = InferEntity<typeof PersonSchema>;
