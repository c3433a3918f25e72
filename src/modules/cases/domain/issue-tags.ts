/**
 * The fixed vocabulary of issues a case can carry, each in a sector (分野): escalation rules
 * such as "issues in two or more sectors" count sectors, not tags.
 */
export const ISSUE_TAGS = {
  care: { ja: '介護', sector: 'elderly' },
  dementia: { ja: '認知症', sector: 'elderly' },
  disability: { ja: '障がい', sector: 'disability' },
  mental_health: { ja: '精神', sector: 'disability' },
  poverty: { ja: '生活困窮', sector: 'livelihood' },
  debt: { ja: '債務', sector: 'livelihood' },
  housing: { ja: '住まい', sector: 'livelihood' },
  employment: { ja: '就労', sector: 'livelihood' },
  hikikomori: { ja: 'ひきこもり', sector: 'cross' },
  '8050': { ja: '8050', sector: 'cross' },
  double_care: { ja: 'ダブルケア', sector: 'cross' },
  young_carer: { ja: 'ヤングケアラー', sector: 'children' },
  childcare: { ja: '子育て', sector: 'children' },
  abuse: { ja: '虐待', sector: 'children' },
  dv: { ja: 'DV', sector: 'safety' },
  suicide_risk: { ja: '自殺リスク', sector: 'health' },
  health: { ja: '健康', sector: 'health' },
  mobility: { ja: '移動', sector: 'community' },
  hoarding: { ja: 'ごみ屋敷', sector: 'community' },
  isolation: { ja: '孤立', sector: 'community' },
} as const;

export type IssueTag = keyof typeof ISSUE_TAGS;
export const ISSUE_TAG_CODES = Object.keys(ISSUE_TAGS) as [IssueTag, ...IssueTag[]];
