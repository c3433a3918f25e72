import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/**
 * The fixed vocabulary of issues a case can carry, each in a sector (分野): escalation rules
 * such as "issues in two or more sectors" count sectors, not tags.
 */
export const ISSUE_TAGS = {
  care: { en: 'Long-term care', ja: '介護', sector: 'elderly' },
  dementia: { en: 'Dementia', ja: '認知症', sector: 'elderly' },
  disability: { en: 'Disability', ja: '障がい', sector: 'disability' },
  mental_health: { en: 'Mental health', ja: '精神', sector: 'disability' },
  poverty: { en: 'Financial hardship', ja: '生活困窮', sector: 'livelihood' },
  debt: { en: 'Debt', ja: '債務', sector: 'livelihood' },
  housing: { en: 'Housing', ja: '住まい', sector: 'livelihood' },
  employment: { en: 'Employment', ja: '就労', sector: 'livelihood' },
  hikikomori: { en: 'Social withdrawal (hikikomori)', ja: 'ひきこもり', sector: 'cross' },
  '8050': { en: '8050 problem', ja: '8050', sector: 'cross' },
  double_care: { en: 'Double care', ja: 'ダブルケア', sector: 'cross' },
  young_carer: { en: 'Young carer', ja: 'ヤングケアラー', sector: 'children' },
  childcare: { en: 'Childcare', ja: '子育て', sector: 'children' },
  abuse: { en: 'Abuse', ja: '虐待', sector: 'children' },
  dv: { en: 'Domestic violence', ja: 'DV', sector: 'safety' },
  suicide_risk: { en: 'Suicide risk', ja: '自殺リスク', sector: 'health' },
  health: { en: 'Health', ja: '健康', sector: 'health' },
  mobility: { en: 'Mobility', ja: '移動', sector: 'community' },
  hoarding: { en: 'Hoarding', ja: 'ごみ屋敷', sector: 'community' },
  isolation: { en: 'Isolation', ja: '孤立', sector: 'community' },
} as const;

export type IssueTag = keyof typeof ISSUE_TAGS;
export const ISSUE_TAG_LABELS = vocabulary<IssueTag>('issueTag', ISSUE_TAGS);

/** 分野: criteria such as "two or more sectors" count these. */
export const ISSUE_SECTOR_LABELS = vocabulary('issueSector', {
  elderly: { ja: '高齢', en: 'Older people' },
  disability: { ja: '障がい', en: 'Disability' },
  livelihood: { ja: '生活困窮', en: 'Livelihood' },
  cross: { ja: '分野横断', en: 'Cross-sector' },
  children: { ja: '子ども・子育て', en: 'Children and families' },
  safety: { ja: '安全', en: 'Safety' },
  health: { ja: '健康', en: 'Health' },
  community: { ja: '地域', en: 'Community' },
} satisfies Record<(typeof ISSUE_TAGS)[IssueTag]['sector'], { ja: string; en: string }>);
export const ISSUE_TAG_CODES = Object.keys(ISSUE_TAGS) as [IssueTag, ...IssueTag[]];
