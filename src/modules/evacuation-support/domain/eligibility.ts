import { z } from 'zod';
import { bilingual } from '../../../platform/http/zod-validation.pipe';

/**
 * Eligibility — who belongs on the 避難行動要支援者名簿 (register of people who cannot evacuate
 * alone, 災害対策基本法 49条の10). Each municipality sets its own criteria in the 地域防災計画, so
 * they are data: a tenant edits the rules, this engine applies them to facts from the resident,
 * care-insurance and disability records.
 */

type Bilingual = { ja: string; en: string };

/** 療育手帳 (intellectual disability certificate) grades; municipalities use A/B or the finer A1…B2. */
export const RYOIKU_GRADES = ['A', 'A1', 'A2', 'B', 'B1', 'B2'] as const;
export type RyoikuGrade = (typeof RYOIKU_GRADES)[number];

const text = z.string().trim().min(1).max(100);
const common = {
  code: z.string().regex(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/).max(40),
  label: z.strictObject({ ja: text, en: text }),
};

const ruleSchema = z.discriminatedUnion('kind', [
  // 要介護 (care need) 1–5; 要支援 (support need) is never enough to be unable to evacuate.
  z.strictObject({ ...common, kind: z.literal('care_level_at_least'), min: z.int().min(1).max(5) }),
  // 身体障害者手帳 (physical disability certificate): grade 1 is the most severe, 6 the least.
  z.strictObject({ ...common, kind: z.literal('physical_handbook_grade_at_most'), max: z.int().min(1).max(6) }),
  z.strictObject({ ...common, kind: z.literal('ryoiku_grade_in'), grades: z.array(z.enum(RYOIKU_GRADES)).min(1).max(RYOIKU_GRADES.length) }),
  // 精神障害者保健福祉手帳 (mental disability certificate): grades 1–3, 1 the most severe.
  z.strictObject({ ...common, kind: z.literal('mental_handbook_grade_at_most'), max: z.int().min(1).max(3), livingAlone: z.boolean().optional() }),
  // 難病 (designated intractable disease), as recorded by the health centre.
  z.strictObject({ ...common, kind: z.literal('intractable_disease') }),
  // The bounds keep out typos: no municipality lists everyone over 20, nor only the over-110s.
  z.strictObject({ ...common, kind: z.literal('age_at_least'), min: z.int().min(60).max(110), livingAlone: z.boolean().optional() }),
]);

/** A tenant's eligibility criteria for the register, as an administrator edits them. */
export const eligibilityRulesSchema = z
  .strictObject({ rules: z.array(ruleSchema).min(1).max(30) })
  .refine(
    (s) => new Set(s.rules.map((r) => r.code)).size === s.rules.length,
    bilingual({ ja: 'ルールのコードが重複しています。', en: 'Rule codes repeat.' }, ['rules']),
  );
export type EligibilityRules = z.infer<typeof eligibilityRulesSchema>;
export type EligibilityRule = EligibilityRules['rules'][number];

/** The reference municipality's criteria, the typical set in national guidance. */
export const DEFAULT_ELIGIBILITY_RULES: EligibilityRules = {
  rules: [
    { code: 'care_level_3', kind: 'care_level_at_least', min: 3, label: { ja: '要介護3以上', en: 'Care need level 3 or higher' } },
    {
      code: 'physical_grade_1_2',
      kind: 'physical_handbook_grade_at_most',
      max: 2,
      label: { ja: '身体障害者手帳1・2級', en: 'Physical disability certificate, grade 1 or 2' },
    },
    {
      code: 'ryoiku_a',
      kind: 'ryoiku_grade_in',
      grades: ['A', 'A1', 'A2'],
      label: { ja: '療育手帳A', en: 'Intellectual disability certificate (ryoiku techo), grade A' },
    },
    {
      code: 'mental_grade_1_2_alone',
      kind: 'mental_handbook_grade_at_most',
      max: 2,
      livingAlone: true,
      label: { ja: '精神障害者保健福祉手帳1・2級（独居）', en: 'Mental disability certificate, grade 1 or 2, living alone' },
    },
    { code: 'intractable_disease', kind: 'intractable_disease', label: { ja: '難病', en: 'Intractable disease' } },
    {
      code: 'age_75_alone',
      kind: 'age_at_least',
      min: 75,
      livingAlone: true,
      label: { ja: '75歳以上の一人暮らし', en: 'Aged 75 or over, living alone' },
    },
  ],
};

/** What the engine needs to know about a person; the caller gathers it from the records. */
export interface EligibilityFacts {
  /** YYYY-MM-DD. */
  birthDate: string | null;
  /** '要支援1'…'要支援2' or '要介護1'…'要介護5' (要介護認定). */
  careLevel: string | null;
  physicalHandbookGrade: number | null;
  /** 'A', 'A1', … as printed on the 療育手帳. */
  ryoikuGrade: string | null;
  mentalHandbookGrade: number | null;
  intractableDisease: boolean;
  livingAlone: boolean;
}

export interface EligibilityMatch {
  code: string;
  label: Bilingual;
  because: Bilingual;
}

export interface EligibilityResult {
  eligible: boolean;
  matched: EligibilityMatch[];
}

const ALONE: Bilingual = { ja: '・一人暮らし', en: ', living alone' };
const RYOIKU_SET: ReadonlySet<string> = new Set(RYOIKU_GRADES);

/** Records come from several systems; full-width digits and letters ('要介護３', 'Ａ１') are common. */
const normalized = (value: string) => value.normalize('NFKC').trim().toUpperCase();

/** The 要介護 level 1–5, or null for 要支援, 非該当 and anything unreadable. */
function careNeedLevel(careLevel: string | null): number | null {
  const match = careLevel === null ? null : /^要介護([1-5])$/.exec(normalized(careLevel));
  return match ? Number(match[1]) : null;
}

/** A certificate grade that exists (1…top); anything else counts as no certificate. */
const grade = (value: number | null, top: number): number | null =>
  value !== null && Number.isInteger(value) && value >= 1 && value <= top ? value : null;

/** [year, month, day] of a real calendar date written YYYY-MM-DD, else null. */
function parseDate(value: string): [number, number, number] | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC rolls 02-30 over into March; a round trip catches it.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return [y, m, d];
}

/**
 * Full years from `birth` to `on`, or null when unknown or not yet born. Compares month and day,
 * so no time zone or leap-day arithmetic is involved: someone born on 29 February turns a year
 * older on 1 March in common years (the anniversary has not come on the 28th).
 */
export function ageOn(birthDate: string, on: string): number | null {
  const birth = parseDate(birthDate);
  const day = parseDate(on);
  if (!birth || !day) return null;
  const [by, bm, bd] = birth;
  const [y, m, d] = day;
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return age >= 0 ? age : null;
}

/** Why the rule matches the facts, or null when it does not. */
function explain(rule: EligibilityRule, facts: EligibilityFacts, asOf: string): Bilingual | null {
  switch (rule.kind) {
    case 'care_level_at_least': {
      const level = careNeedLevel(facts.careLevel);
      if (level === null || level < rule.min) return null;
      return { ja: `要介護${level}`, en: `care need level ${level}` };
    }
    case 'physical_handbook_grade_at_most': {
      const g = grade(facts.physicalHandbookGrade, 6);
      if (g === null || g > rule.max) return null;
      return { ja: `身体障害者手帳${g}級`, en: `physical disability certificate grade ${g}` };
    }
    case 'ryoiku_grade_in': {
      const g = facts.ryoikuGrade === null ? null : normalized(facts.ryoikuGrade);
      if (g === null || !RYOIKU_SET.has(g) || !(rule.grades as readonly string[]).includes(g)) return null;
      return { ja: `療育手帳${g}`, en: `intellectual disability certificate grade ${g}` };
    }
    case 'mental_handbook_grade_at_most': {
      const g = grade(facts.mentalHandbookGrade, 3);
      if (g === null || g > rule.max) return null;
      if (rule.livingAlone === true && !facts.livingAlone) return null;
      const alone = rule.livingAlone === true ? ALONE : { ja: '', en: '' };
      return { ja: `精神障害者保健福祉手帳${g}級${alone.ja}`, en: `mental disability certificate grade ${g}${alone.en}` };
    }
    case 'intractable_disease':
      return facts.intractableDisease ? { ja: '難病', en: 'intractable disease' } : null;
    case 'age_at_least': {
      const age = facts.birthDate === null ? null : ageOn(facts.birthDate, asOf);
      if (age === null || age < rule.min) return null;
      if (rule.livingAlone === true && !facts.livingAlone) return null;
      const alone = rule.livingAlone === true ? ALONE : { ja: '', en: '' };
      return { ja: `${age}歳${alone.ja}`, en: `aged ${age}${alone.en}` };
    }
    default: {
      const unknown: never = rule;
      throw new Error(`unknown rule kind: ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Which rules a person meets on `asOf` (YYYY-MM-DD), in rule order; any match makes them eligible.
 * The date is passed in, not read from the clock, so a yearly extract is reproducible.
 */
export function evaluateEligibility(rules: EligibilityRules, facts: EligibilityFacts, asOf: string): EligibilityResult {
  if (!parseDate(asOf)) throw new RangeError(`asOf must be a date as YYYY-MM-DD: ${asOf}`);
  const matched = rules.rules.flatMap((rule) => {
    const because = explain(rule, facts, asOf);
    return because ? [{ code: rule.code, label: { ...rule.label }, because }] : [];
  });
  return { eligible: matched.length > 0, matched };
}
