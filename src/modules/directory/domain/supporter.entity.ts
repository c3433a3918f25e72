import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** 避難支援等関係者 — community supporters outside city hall, each covering some 地区. */
export const SUPPORTER_ORGANIZATION_LABELS = vocabulary('supporterOrganization', {
  minsei_iin: { ja: '民生委員・児童委員', en: 'Welfare commissioner' },
  jishu_bosai: { ja: '自主防災組織', en: 'Voluntary disaster prevention group' },
  jichikai: { ja: '自治会', en: 'Neighbourhood association' },
  shakyo: { ja: '社会福祉協議会', en: 'Council of social welfare' },
  fire: { ja: '消防', en: 'Fire service' },
  police: { ja: '警察', en: 'Police' },
});
export const SUPPORTER_ORGANIZATION_TYPES = SUPPORTER_ORGANIZATION_LABELS.codes;
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
