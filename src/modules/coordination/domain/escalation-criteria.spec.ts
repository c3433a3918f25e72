import { toFieldErrors } from '../../../platform/http/zod-validation.pipe';
import { DEFAULT_RULE_SET, evaluateCriteria, ruleSetSchema, type CaseFacts, type Rule } from './escalation-criteria';

const label = { ja: 'テスト', en: 'test' };
const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({ issues: [], declinedReferrals: 0, daysSinceLastEvent: 0, ...over });
/** The explanation when the single rule matches, null when it does not. */
const because = (rule: Rule, over: Partial<CaseFacts>) => evaluateCriteria({ rules: [rule] }, facts(over)).matched[0]?.because ?? null;

describe('evaluateCriteria, one rule kind at a time', () => {
  const sectors = (min: number): Rule => ({ code: 'sectors', kind: 'sectors_at_least', min, label });
  it.each([
    ['two sectors, exactly min', 2, ['care', 'poverty'], { ja: '課題が2分野（高齢・生活）にまたがる', en: 'issues span 2 sectors (elderly, livelihood)' }],
    ['two tags in one sector (one below)', 2, ['care', 'dementia'], null],
    ['three sectors, exactly min, listed in sector order', 3, ['care', 'hikikomori', 'poverty', '8050'], { ja: '課題が3分野（高齢・生活・横断）にまたがる', en: 'issues span 3 sectors (elderly, livelihood, cross)' }],
    ['two sectors against min 3 (one below)', 3, ['care', 'poverty'], null],
    ['cross counts like any sector', 2, ['hikikomori', 'care'], { ja: '課題が2分野（高齢・横断）にまたがる', en: 'issues span 2 sectors (elderly, cross)' }],
    ['more sectors than min', 2, ['dv', 'suicide_risk', 'hoarding'], { ja: '課題が3分野（安全・保健・地域）にまたがる', en: 'issues span 3 sectors (safety, health, community)' }],
    ['repeated tags count once', 2, ['care', 'care'], null],
    ['unknown tags are ignored', 2, ['care', 'unknown_tag', 'constructor'], null],
    ['no issues', 2, [], null],
  ])('sectors_at_least: %s', (_, min, issues, expected) => {
    expect(because(sectors(min), { issues })).toEqual(expected);
  });

  const risk: Rule = { code: 'risk', kind: 'any_issue', issues: ['suicide_risk', 'abuse', 'dv'], label };
  it.each([
    ['one tag', ['dv'], { ja: '該当する課題: DV', en: 'matching issues: dv' }],
    ['several tags, in rule order', ['care', 'abuse', 'suicide_risk'], { ja: '該当する課題: 自殺リスク・虐待', en: 'matching issues: suicide_risk, abuse' }],
    ['none of the tags', ['care', 'poverty'], null],
    ['no issues', [], null],
  ])('any_issue: %s', (_, issues, expected) => {
    expect(because(risk, { issues })).toEqual(expected);
  });

  const declined: Rule = { code: 'declined', kind: 'declined_referrals_at_least', min: 2, label };
  it.each([
    [2, { ja: '辞退されたつなぎ: 2件', en: 'declined referrals: 2' }],
    [5, { ja: '辞退されたつなぎ: 5件', en: 'declined referrals: 5' }],
    [1, null],
    [0, null],
  ])('declined_referrals_at_least 2: %i declined', (declinedReferrals, expected) => {
    expect(because(declined, { declinedReferrals })).toEqual(expected);
  });

  const stalled: Rule = { code: 'stalled', kind: 'no_progress_days', days: 30, label };
  it.each([
    [30, { ja: '最後の記録から30日', en: '30 days since the last record' }],
    [45, { ja: '最後の記録から45日', en: '45 days since the last record' }],
    [29, null],
    [0, null],
  ])('no_progress_days 30: %i days', (daysSinceLastEvent, expected) => {
    expect(because(stalled, { daysSinceLastEvent })).toEqual(expected);
  });
});

describe('evaluateCriteria, the whole set', () => {
  const rules: Rule[] = [
    { code: 'stalled', kind: 'no_progress_days', days: 30, label: { ja: '停滞', en: 'stalled' } },
    { code: 'risk', kind: 'any_issue', issues: ['dv'], urgent: true, label: { ja: 'DV', en: 'DV' } },
    { code: 'calm', kind: 'any_issue', issues: ['care'], urgent: false, label: { ja: '介護', en: 'care' } },
  ];
  it.each([
    ['an urgent rule matched', facts({ issues: ['dv'] }), { candidate: true, urgent: true, codes: ['risk'] }],
    ['urgent and other rules matched', facts({ issues: ['dv', 'care'], daysSinceLastEvent: 31 }), { candidate: true, urgent: true, codes: ['stalled', 'risk', 'calm'] }],
    ['only non-urgent rules matched (urgent: false, urgent absent)', facts({ issues: ['care'], daysSinceLastEvent: 30 }), { candidate: true, urgent: false, codes: ['stalled', 'calm'] }],
    ['nothing matched', facts({ issues: ['poverty'], daysSinceLastEvent: 29 }), { candidate: false, urgent: false, codes: [] }],
  ])('%s', (_, caseFacts, expected) => {
    const result = evaluateCriteria({ rules }, caseFacts);
    expect({ candidate: result.candidate, urgent: result.urgent, codes: result.matched.map((m) => m.code) }).toEqual(expected);
  });

  it('reports each match with its label, and leaves the rule set untouched', () => {
    const before = structuredClone(rules);
    const { matched } = evaluateCriteria({ rules }, facts({ issues: ['dv'] }));
    expect(matched).toEqual([{ code: 'risk', label: { ja: 'DV', en: 'DV' }, because: { ja: '該当する課題: DV', en: 'matching issues: dv' } }]);
    matched[0]!.label.ja = 'changed';
    expect(rules).toEqual(before);
  });
});

describe('DEFAULT_RULE_SET', () => {
  it('passes its own schema', () => {
    expect(ruleSetSchema.parse(DEFAULT_RULE_SET)).toEqual(DEFAULT_RULE_SET);
  });

  it('takes up the 8050 household on sectors and patterns, not urgently', () => {
    const result = evaluateCriteria(DEFAULT_RULE_SET, facts({ issues: ['care', 'hikikomori', 'poverty', '8050'], declinedReferrals: 1, daysSinceLastEvent: 3 }));
    expect(result).toEqual({
      candidate: true,
      urgent: false,
      matched: [
        { code: 'multi_sector', label: { ja: '2分野以上にまたがる課題', en: expect.any(String) }, because: { ja: '課題が3分野（高齢・生活・横断）にまたがる', en: 'issues span 3 sectors (elderly, livelihood, cross)' } },
        { code: 'pattern_8050', label: { ja: '8050問題', en: expect.any(String) }, because: { ja: '該当する課題: 8050', en: 'matching issues: 8050' } },
        { code: 'pattern_hikikomori', label: { ja: 'ひきこもり', en: expect.any(String) }, because: { ja: '該当する課題: ひきこもり', en: 'matching issues: hikikomori' } },
      ],
    });
  });

  it.each([
    ['DV alone', ['dv'], ['urgent_risk']],
    ['abuse with childcare (one sector)', ['abuse', 'childcare'], ['urgent_risk']],
    ['suicide risk with poverty', ['suicide_risk', 'poverty'], ['multi_sector', 'urgent_risk']],
  ])('sends a risk case to 支援会議 at once: %s', (_, issues, codes) => {
    const result = evaluateCriteria(DEFAULT_RULE_SET, facts({ issues }));
    expect(result.urgent).toBe(true);
    expect(result.matched.map((m) => m.code)).toEqual(codes);
  });

  it('leaves a single-sector case alone', () => {
    const result = evaluateCriteria(DEFAULT_RULE_SET, facts({ issues: ['poverty', 'debt', 'housing'], declinedReferrals: 1, daysSinceLastEvent: 29 }));
    expect(result).toEqual({ candidate: false, urgent: false, matched: [] });
  });

  it.each([
    ['declined twice', facts({ issues: ['poverty'], declinedReferrals: 2 }), ['declined_twice']],
    ['stalled', facts({ issues: ['poverty'], daysSinceLastEvent: 30 }), ['stalled']],
    ['young carer with childcare', facts({ issues: ['young_carer', 'childcare'] }), ['pattern_young_carer']],
  ])('flags a case that is %s', (_, caseFacts, codes) => {
    expect(evaluateCriteria(DEFAULT_RULE_SET, caseFacts).matched.map((m) => m.code)).toEqual(codes);
  });
});

describe('ruleSetSchema', () => {
  const rule = (over: Record<string, unknown> = {}) => ({ code: 'multi_sector', kind: 'sectors_at_least', min: 2, label, ...over });
  /** A rule of another kind, without the sectors rule's `min`. */
  const other = (kind: string, fields: Record<string, unknown>) => ({ code: 'other', kind, label, ...fields });
  const issuesOf = (input: unknown) => {
    const parsed = ruleSetSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    return parsed.error!.issues.map((i) => ({ code: i.code, path: i.path, ...('keys' in i ? { keys: i.keys } : {}) }));
  };

  it.each([
    ['unknown kind', { rules: [rule({ kind: 'all_issues' })] }, [{ code: 'invalid_union', path: ['rules', 0, 'kind'] }]],
    ['duplicate codes', { rules: [rule(), { ...other('any_issue', { issues: ['8050'] }), code: 'multi_sector' }] }, [{ code: 'custom', path: ['rules'] }]],
    ['sectors min below 2', { rules: [rule({ min: 1 })] }, [{ code: 'too_small', path: ['rules', 0, 'min'] }]],
    ['sectors min above the number of sectors', { rules: [rule({ min: 9 })] }, [{ code: 'too_big', path: ['rules', 0, 'min'] }]],
    ['fractional min', { rules: [rule({ min: 2.5 })] }, [{ code: 'invalid_type', path: ['rules', 0, 'min'] }]],
    ['declined min below 1', { rules: [other('declined_referrals_at_least', { min: 0 })] }, [{ code: 'too_small', path: ['rules', 0, 'min'] }]],
    ['days below 1', { rules: [other('no_progress_days', { days: 0 })] }, [{ code: 'too_small', path: ['rules', 0, 'days'] }]],
    ['unknown issue tag', { rules: [other('any_issue', { issues: ['8050', 'gambling'] })] }, [{ code: 'invalid_value', path: ['rules', 0, 'issues', 1] }]],
    ['no issues', { rules: [other('any_issue', { issues: [] })] }, [{ code: 'too_small', path: ['rules', 0, 'issues'] }]],
    ['unknown key on a rule', { rules: [rule({ severity: 'high' })] }, [{ code: 'unrecognized_keys', path: ['rules', 0], keys: ['severity'] }]],
    ["another kind's field", { rules: [rule({ days: 30 })] }, [{ code: 'unrecognized_keys', path: ['rules', 0], keys: ['days'] }]],
    ['unknown key on a label', { rules: [rule({ label: { ...label, zh: '测试' } })] }, [{ code: 'unrecognized_keys', path: ['rules', 0, 'label'], keys: ['zh'] }]],
    ['unknown key on the set', { rules: [rule()], version: 2 }, [{ code: 'unrecognized_keys', path: [], keys: ['version'] }]],
    ['missing English label', { rules: [rule({ label: { ja: 'テスト' } })] }, [{ code: 'invalid_type', path: ['rules', 0, 'label', 'en'] }]],
    ['blank label', { rules: [rule({ label: { ja: ' ', en: 'test' } })] }, [{ code: 'too_small', path: ['rules', 0, 'label', 'ja'] }]],
    ['code not snake_case', { rules: [rule({ code: 'Multi-Sector' })] }, [{ code: 'invalid_format', path: ['rules', 0, 'code'] }]],
    ['code starting with a digit', { rules: [rule({ code: '8050' })] }, [{ code: 'invalid_format', path: ['rules', 0, 'code'] }]],
    ['urgent not a boolean', { rules: [rule({ urgent: 'yes' })] }, [{ code: 'invalid_type', path: ['rules', 0, 'urgent'] }]],
    ['no rules', { rules: [] }, [{ code: 'too_small', path: ['rules'] }]],
    ['more than 50 rules', { rules: Array.from({ length: 51 }, (_, i) => rule({ code: `rule_${i}` })) }, [{ code: 'too_big', path: ['rules'] }]],
  ])('refuses %s', (_, input, expected) => {
    expect(issuesOf(input)).toEqual(expected);
  });

  it('names duplicate codes in both languages', () => {
    const parsed = ruleSetSchema.safeParse({ rules: [rule(), rule()] });
    expect(toFieldErrors(parsed.error!.issues, 'body')).toEqual([
      { field: 'body.rules', code: 'custom', message: { ja: 'ルールのコードが重複しています。', en: 'Rule codes repeat.' } },
    ]);
  });

  it('accepts a tenant set of its own, urgent optional', () => {
    const input = { rules: [rule({ code: 'three_sectors', min: 3 }), { code: 'dv_only', kind: 'any_issue', issues: ['dv'], urgent: true, label }] };
    expect(ruleSetSchema.parse(input)).toEqual(input);
  });
});
