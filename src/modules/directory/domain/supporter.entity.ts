import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** 避難支援等関係者 — community supporters outside city hall, each covering some 地区. */
export const SUPPORTER_ORGANIZATION_TYPES = ['minsei_iin', 'jishu_bosai', 'jichikai', 'shakyo', 'fire', 'police'] as const;
export type SupporterOrganizationType = (typeof SUPPORTER_ORGANIZATION_TYPES)[number];

export const SupporterSchema = defineEntity({
  name: 'Supporter',
  tableName: 'supporters',
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    subject: p.string(),
    login: p.string(),
    displayName: p.string(),
    organizationType: p.enum(SUPPORTER_ORGANIZATION_TYPES),
    organizationName: p.string(),
    districtCodes: p.array(),
    active: p.boolean().default(true),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Supporter = InferEntity<typeof SupporterSchema>;
