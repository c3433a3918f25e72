import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

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

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;

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
    /** DV等支援措置: address and contacts are never output to anyone but the named protectors. */
    dvProtected: p.boolean().default(false),
    dvProtectorIds: p.array(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Person = InferEntity<typeof PersonSchema>;
