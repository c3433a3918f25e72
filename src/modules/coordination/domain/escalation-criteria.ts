import { z } from 'zod';
import { bilingual } from '../../../platform/http/zod-validation.pipe';
import { ISSUE_TAGS, ISSUE_TAG_CODES, type IssueTag } from '../../cases/domain/issue-tags';

type Bilingual = { ja: string; en: string };
type Sector = (typeof ISSUE_TAGS)[IssueTag]['sector'];

/** Sector (分野) names; the key order is the order sectors are listed in explanations. */
const SECTORS: Record<Sector, Bilingual> = {
  elderly: { ja: '高齢', en: 'elderly' },
  disability: { ja: '障害', en: 'disability' },
  livelihood: { ja: '生活', en: 'livelihood' },
  cross: { ja: '横断', en: 'cross' },
  children: { ja: '子ども', en: 'children' },
  safety: { ja: '安全', en: 'safety' },
  health: { ja: '保健', en: 'health' },
  community: { ja: '地域', en: 'community' },
};
const SECTOR_ORDER = Object.keys(SECTORS) as Sector[];

const text = z.string().trim().min(1).max(100);
const common = {
  code: z.string().regex(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/).max(40),
  label: z.strictObject({ ja: text, en: text }),
  /** An urgent rule sends the case to 支援会議 (the statutory support meeting) at once. */
  urgent: z.boolean().optional(),
};

/** One rule of the criteria, as an administrator writes it and as GET answers it. */
export const ruleSchema = z.discriminatedUnion('kind', [
  // The bound stops a rule that could never fire: there are only so many sectors.
  z.strictObject({ ...common, kind: z.literal('sectors_at_least'), min: z.int().min(2).max(SECTOR_ORDER.length) }),
  z.strictObject({ ...common, kind: z.literal('any_issue'), issues: z.array(z.enum(ISSUE_TAG_CODES)).min(1).max(ISSUE_TAG_CODES.length) }),
  z.strictObject({ ...common, kind: z.literal('declined_referrals_at_least'), min: z.int().min(1) }),
  z.strictObject({ ...common, kind: z.literal('no_progress_days'), days: z.int().min(1) }),
]).meta({ id: 'EscalationRule' });

/** A tenant's 多機関協働 (multi-agency collaboration) escalation criteria, as an administrator edits them. */
export const ruleSetSchema = z
  .strictObject({ rules: z.array(ruleSchema).min(1).max(50) })
  .refine(
    (s) => new Set(s.rules.map((r) => r.code)).size === s.rules.length,
    bilingual({ ja: 'ルールのコードが重複しています。', en: 'Rule codes repeat.' }, ['rules']),
  );
export type RuleSet = z.infer<typeof ruleSetSchema>;
export type Rule = RuleSet['rules'][number];

/** The built-in criteria (version 0), from the typical municipal practice in the planning documents. */
export const DEFAULT_RULE_SET: RuleSet = {
  rules: [
    { code: 'multi_sector', kind: 'sectors_at_least', min: 2, label: { ja: '2分野以上にまたがる課題', en: 'Issues span two or more sectors' } },
    { code: 'pattern_8050', kind: 'any_issue', issues: ['8050'], label: { ja: '8050問題', en: '8050 problem' } },
    { code: 'pattern_double_care', kind: 'any_issue', issues: ['double_care'], label: { ja: 'ダブルケア', en: 'Double care' } },
    { code: 'pattern_hikikomori', kind: 'any_issue', issues: ['hikikomori'], label: { ja: 'ひきこもり', en: 'Hikikomori (social withdrawal)' } },
    { code: 'pattern_hoarding', kind: 'any_issue', issues: ['hoarding'], label: { ja: 'ごみ屋敷', en: 'Hoarding' } },
    { code: 'pattern_young_carer', kind: 'any_issue', issues: ['young_carer'], label: { ja: 'ヤングケアラー', en: 'Young carer' } },
    { code: 'declined_twice', kind: 'declined_referrals_at_least', min: 2, label: { ja: 'つなぎが2回以上辞退された', en: 'Referrals declined twice or more' } },
    { code: 'stalled', kind: 'no_progress_days', days: 30, label: { ja: '30日以上支援の進展がない', en: 'No progress in support for 30 days or more' } },
    {
      code: 'urgent_risk',
      kind: 'any_issue',
      issues: ['suicide_risk', 'abuse', 'dv'],
      urgent: true,
      label: { ja: '自殺リスク・虐待・DV（支援会議へ直ちに）', en: 'Suicide risk, abuse or DV (to the support meeting at once)' },
    },
  ],
};

/** What the engine needs to know about a case; the caller gathers it. */
export interface CaseFacts {
  issues: string[];
  declinedReferrals: number;
  daysSinceLastEvent: number;
}

export interface Evaluation {
  candidate: boolean;
  urgent: boolean;
  matched: { code: string; label: { ja: string; en: string }; because: { ja: string; en: string } }[];
}

const isIssueTag = (tag: string): tag is IssueTag => Object.hasOwn(ISSUE_TAGS, tag);

/** Why the rule matches the facts, or null when it does not. */
function explain(rule: Rule, facts: CaseFacts): Bilingual | null {
  switch (rule.kind) {
    case 'sectors_at_least': {
      const present = new Set(facts.issues.filter(isIssueTag).map((tag) => ISSUE_TAGS[tag].sector));
      const sectors = SECTOR_ORDER.filter((s) => present.has(s));
      if (sectors.length < rule.min) return null;
      return {
        ja: `課題が${sectors.length}分野（${sectors.map((s) => SECTORS[s].ja).join('・')}）にまたがる`,
        en: `issues span ${sectors.length} sectors (${sectors.map((s) => SECTORS[s].en).join(', ')})`,
      };
    }
    case 'any_issue': {
      const hits = rule.issues.filter((tag) => facts.issues.includes(tag));
      if (!hits.length) return null;
      return { ja: `該当する課題: ${hits.map((tag) => ISSUE_TAGS[tag].ja).join('・')}`, en: `matching issues: ${hits.join(', ')}` };
    }
    case 'declined_referrals_at_least':
      if (facts.declinedReferrals < rule.min) return null;
      return { ja: `辞退されたつなぎ: ${facts.declinedReferrals}件`, en: `declined referrals: ${facts.declinedReferrals}` };
    case 'no_progress_days':
      if (facts.daysSinceLastEvent < rule.days) return null;
      return { ja: `最後の記録から${facts.daysSinceLastEvent}日`, en: `${facts.daysSinceLastEvent} days since the last record` };
    default: {
      const unknown: never = rule;
      throw new Error(`unknown rule kind: ${JSON.stringify(unknown)}`);
    }
  }
}

/** Which rules a case meets, in rule order: any match makes it a candidate; an urgent match makes it urgent. */
export function evaluateCriteria(ruleSet: RuleSet, facts: CaseFacts): Evaluation {
  const matched = ruleSet.rules.flatMap((rule) => {
    const because = explain(rule, facts);
    return because ? [{ rule, match: { code: rule.code, label: { ...rule.label }, because } }] : [];
  });
  return {
    candidate: matched.length > 0,
    urgent: matched.some(({ rule }) => rule.urgent === true),
    matched: matched.map(({ match }) => match),
  };
}
