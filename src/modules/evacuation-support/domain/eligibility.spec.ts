import { toFieldErrors } from '../../../platform/http/zod-validation.pipe';
import {
  DEFAULT_ELIGIBILITY_RULES,
  ageOn,
  eligibilityRulesSchema,
  evaluateEligibility,
  type EligibilityFacts,
  type EligibilityRule,
} from './eligibility';

const label = { ja: 'テスト', en: 'test' };
const AS_OF = '2026-04-01';
const facts = (over: Partial<EligibilityFacts> = {}): EligibilityFacts => ({
  birthDate: null,
  careLevel: null,
  physicalHandbookGrade: null,
  ryoikuGrade: null,
  mentalHandbookGrade: null,
  intractableDisease: false,
  livingAlone: false,
  ...over,
});
/** The explanation when the single rule matches, null when it does not. */
const because = (rule: EligibilityRule, over: Partial<EligibilityFacts>, asOf = AS_OF) =>
  evaluateEligibility({ rules: [rule] }, facts(over), asOf).matched[0]?.because ?? null;

describe('evaluateEligibility, one rule kind at a time', () => {
  const care: EligibilityRule = { code: 'care', kind: 'care_level_at_least', min: 3, label };
  it.each([
    ['要介護3, exactly min', '要介護3', { ja: '要介護3', en: 'care need level 3' }],
    ['要介護5', '要介護5', { ja: '要介護5', en: 'care need level 5' }],
    ['要介護2, one below', '要介護2', null],
    ['要支援2 never counts', '要支援2', null],
    ['要支援1', '要支援1', null],
    ['full-width digit', '要介護４', { ja: '要介護4', en: 'care need level 4' }],
    ['surrounding spaces', ' 要介護3 ', { ja: '要介護3', en: 'care need level 3' }],
    ['a level that does not exist', '要介護6', null],
    ['非該当', '非該当', null],
    ['no certification', null, null],
  ])('care_level_at_least 3: %s', (_, careLevel, expected) => {
    expect(because(care, { careLevel })).toEqual(expected);
  });

  it('care_level_at_least 1 takes every 要介護 and no 要支援', () => {
    const rule: EligibilityRule = { ...care, min: 1 };
    expect(because(rule, { careLevel: '要介護1' })).toEqual({ ja: '要介護1', en: 'care need level 1' });
    expect(because(rule, { careLevel: '要支援2' })).toBeNull();
  });

  const physical: EligibilityRule = { code: 'physical', kind: 'physical_handbook_grade_at_most', max: 2, label };
  it.each([
    ['grade 1, the most severe', 1, { ja: '身体障害者手帳1級', en: 'physical disability certificate grade 1' }],
    ['grade 2, exactly max', 2, { ja: '身体障害者手帳2級', en: 'physical disability certificate grade 2' }],
    ['grade 3, one above', 3, null],
    ['grade 6', 6, null],
    ['grade 0 does not exist', 0, null],
    ['a fractional grade', 1.5, null],
    ['no certificate', null, null],
  ])('physical_handbook_grade_at_most 2: %s', (_, physicalHandbookGrade, expected) => {
    expect(because(physical, { physicalHandbookGrade })).toEqual(expected);
  });

  it('physical_handbook_grade_at_most 6 takes every grade but not 7', () => {
    const rule: EligibilityRule = { ...physical, max: 6 };
    expect(because(rule, { physicalHandbookGrade: 6 })).toEqual({ ja: '身体障害者手帳6級', en: 'physical disability certificate grade 6' });
    expect(because(rule, { physicalHandbookGrade: 7 })).toBeNull();
  });

  const ryoiku: EligibilityRule = { code: 'ryoiku', kind: 'ryoiku_grade_in', grades: ['A', 'A1', 'A2'], label };
  it.each([
    ['A', 'A', { ja: '療育手帳A', en: 'intellectual disability certificate grade A' }],
    ['A1', 'A1', { ja: '療育手帳A1', en: 'intellectual disability certificate grade A1' }],
    ['A2', 'A2', { ja: '療育手帳A2', en: 'intellectual disability certificate grade A2' }],
    ['full-width Ａ１', 'Ａ１', { ja: '療育手帳A1', en: 'intellectual disability certificate grade A1' }],
    ['lower case a2', 'a2', { ja: '療育手帳A2', en: 'intellectual disability certificate grade A2' }],
    ['B', 'B', null],
    ['B1', 'B1', null],
    ['an unknown grade', 'C', null],
    ['no certificate', null, null],
  ])('ryoiku_grade_in A/A1/A2: %s', (_, ryoikuGrade, expected) => {
    expect(because(ryoiku, { ryoikuGrade })).toEqual(expected);
  });

  it('ryoiku_grade_in B takes only B', () => {
    const rule: EligibilityRule = { ...ryoiku, grades: ['B'] };
    expect(because(rule, { ryoikuGrade: 'B' })).toEqual({ ja: '療育手帳B', en: 'intellectual disability certificate grade B' });
    expect(because(rule, { ryoikuGrade: 'B1' })).toBeNull();
    expect(because(rule, { ryoikuGrade: 'A' })).toBeNull();
  });

  const mental: EligibilityRule = { code: 'mental', kind: 'mental_handbook_grade_at_most', max: 2, label };
  const mentalAlone: EligibilityRule = { ...mental, livingAlone: true };
  it.each([
    ['grade 1', mental, 1, false, { ja: '精神障害者保健福祉手帳1級', en: 'mental disability certificate grade 1' }],
    ['grade 2, exactly max', mental, 2, false, { ja: '精神障害者保健福祉手帳2級', en: 'mental disability certificate grade 2' }],
    ['grade 3, one above', mental, 3, true, null],
    ['grade 4 does not exist', { ...mental, max: 3 } as EligibilityRule, 4, true, null],
    ['no certificate', mental, null, true, null],
    ['alone rule, living alone', mentalAlone, 2, true, { ja: '精神障害者保健福祉手帳2級・一人暮らし', en: 'mental disability certificate grade 2, living alone' }],
    ['alone rule, living with family', mentalAlone, 1, false, null],
    ['alone rule, living alone but grade 3', mentalAlone, 3, true, null],
    ['livingAlone false does not require it', { ...mental, livingAlone: false } as EligibilityRule, 1, false, { ja: '精神障害者保健福祉手帳1級', en: 'mental disability certificate grade 1' }],
  ])('mental_handbook_grade_at_most 2: %s', (_, rule, mentalHandbookGrade, livingAlone, expected) => {
    expect(because(rule, { mentalHandbookGrade, livingAlone })).toEqual(expected);
  });

  const disease: EligibilityRule = { code: 'disease', kind: 'intractable_disease', label };
  it.each([
    [true, { ja: '難病', en: 'intractable disease' }],
    [false, null],
  ])('intractable_disease: %s', (intractableDisease, expected) => {
    expect(because(disease, { intractableDisease })).toEqual(expected);
  });

  const age: EligibilityRule = { code: 'age', kind: 'age_at_least', min: 75, label };
  const ageAlone: EligibilityRule = { ...age, livingAlone: true };
  it.each([
    ['75th birthday today', age, '1951-04-01', false, { ja: '75歳', en: 'aged 75' }],
    ['75th birthday tomorrow', age, '1951-04-02', false, null],
    ['turned 75 yesterday', age, '1951-03-31', false, { ja: '75歳', en: 'aged 75' }],
    ['82', age, '1943-12-31', false, { ja: '82歳', en: 'aged 82' }],
    ['74', age, '1952-01-01', true, null],
    ['alone rule, 82 and living alone', ageAlone, '1943-10-10', true, { ja: '82歳・一人暮らし', en: 'aged 82, living alone' }],
    ['alone rule, 90 with family', ageAlone, '1935-05-05', false, null],
    ['alone rule, 74 living alone', ageAlone, '1951-04-02', true, null],
    ['unknown birth date', age, null, true, null],
    ['unreadable birth date', age, '1943/10/10', false, null],
    ['impossible birth date', age, '1943-02-30', false, null],
    ['born after asOf', { ...age, min: 60 } as EligibilityRule, '2027-01-01', false, null],
  ])('age_at_least 75 on 2026-04-01: %s', (_, rule, birthDate, livingAlone, expected) => {
    expect(because(rule, { birthDate, livingAlone })).toEqual(expected);
  });
});

describe('ageOn', () => {
  it.each([
    ['day before the birthday', '1950-06-15', '2025-06-14', 74],
    ['on the birthday', '1950-06-15', '2025-06-15', 75],
    ['earlier month', '1950-06-15', '2025-05-31', 74],
    ['later month', '1950-06-15', '2025-07-01', 75],
    ['31 December birth on 1 January', '1950-12-31', '2026-01-01', 75],
    ['1 January birth on 31 December', '1951-01-01', '2025-12-31', 74],
    ['29 February birth, on 28 February of a common year', '1948-02-29', '2025-02-28', 76],
    ['29 February birth, on 1 March of a common year', '1948-02-29', '2025-03-01', 77],
    ['29 February birth, on 28 February of a leap year', '1948-02-29', '2024-02-28', 75],
    ['29 February birth, on 29 February of a leap year', '1948-02-29', '2024-02-29', 76],
    ['28 February birth on 29 February', '1948-02-28', '2024-02-29', 76],
    ['1 March birth on 29 February', '1948-03-01', '2024-02-29', 75],
    ['the day of birth', '2026-04-01', '2026-04-01', 0],
    ['not yet born', '2026-04-02', '2026-04-01', null],
    ['29 February in a common year is no date', '1949-02-29', '2025-03-01', null],
    ['an unreadable date', '1950-6-15', '2025-06-15', null],
  ] as const)('%s: %s on %s → %s', (_, birth, on, expected) => {
    expect(ageOn(birth, on)).toBe(expected);
  });

  it('decides a 29 February birth at the 75 boundary through the rule', () => {
    const rule: EligibilityRule = { code: 'age', kind: 'age_at_least', min: 75, livingAlone: true, label };
    const person = { birthDate: '1952-02-29', livingAlone: true };
    expect(because(rule, person, '2027-02-28')).toBeNull();
    expect(because(rule, person, '2027-03-01')).toEqual({ ja: '75歳・一人暮らし', en: 'aged 75, living alone' });
    // 2028 is a leap year: the birthday itself comes.
    expect(because({ ...rule, min: 76 }, person, '2028-02-28')).toBeNull();
    expect(because({ ...rule, min: 76 }, person, '2028-02-29')).toEqual({ ja: '76歳・一人暮らし', en: 'aged 76, living alone' });
  });
});

describe('evaluateEligibility, the whole set', () => {
  it('reports every match in rule order, with labels, leaving the rules untouched', () => {
    const rules = structuredClone(DEFAULT_ELIGIBILITY_RULES);
    const before = structuredClone(rules);
    const result = evaluateEligibility(rules, facts({ intractableDisease: true, careLevel: '要介護4' }), AS_OF);
    expect(result).toEqual({
      eligible: true,
      matched: [
        { code: 'care_level_3', label: { ja: '要介護3以上', en: 'Care need level 3 or higher' }, because: { ja: '要介護4', en: 'care need level 4' } },
        { code: 'intractable_disease', label: { ja: '難病', en: 'Intractable disease' }, because: { ja: '難病', en: 'intractable disease' } },
      ],
    });
    result.matched[0]!.label.ja = 'changed';
    expect(rules).toEqual(before);
  });

  it('is not eligible when nothing matches', () => {
    expect(evaluateEligibility(DEFAULT_ELIGIBILITY_RULES, facts(), AS_OF)).toEqual({ eligible: false, matched: [] });
  });

  it.each(['2026-4-1', '2026-02-30', '', 'today'])('refuses asOf %j', (asOf) => {
    expect(() => evaluateEligibility(DEFAULT_ELIGIBILITY_RULES, facts(), asOf)).toThrow(RangeError);
  });
});

describe('DEFAULT_ELIGIBILITY_RULES', () => {
  it('passes its own schema', () => {
    expect(eligibilityRulesSchema.parse(DEFAULT_ELIGIBILITY_RULES)).toEqual(DEFAULT_ELIGIBILITY_RULES);
  });

  it('has the reference municipality’s labels', () => {
    expect(DEFAULT_ELIGIBILITY_RULES.rules.map((r) => r.label.ja)).toEqual([
      '要介護3以上',
      '身体障害者手帳1・2級',
      '療育手帳A',
      '精神障害者保健福祉手帳1・2級（独居）',
      '難病',
      '75歳以上の一人暮らし',
    ]);
  });

  it.each([
    ['82, living alone, 要支援2', facts({ birthDate: '1943-10-10', livingAlone: true, careLevel: '要支援2' }), [['age_75_alone', '82歳・一人暮らし']]],
    ['82, living with a daughter', facts({ birthDate: '1943-10-10', livingAlone: false, careLevel: '要支援2' }), []],
    ['要介護3 at 68, with family', facts({ birthDate: '1957-08-01', careLevel: '要介護3' }), [['care_level_3', '要介護3']]],
    ['要介護2 at 80, with family', facts({ birthDate: '1945-08-01', careLevel: '要介護2' }), []],
    [
      '身体1級 and 要介護5, living alone at 77',
      facts({ birthDate: '1948-07-07', careLevel: '要介護5', physicalHandbookGrade: 1, livingAlone: true }),
      [
        ['care_level_3', '要介護5'],
        ['physical_grade_1_2', '身体障害者手帳1級'],
        ['age_75_alone', '77歳・一人暮らし'],
      ],
    ],
    ['身体3級 at 50', facts({ birthDate: '1975-05-05', physicalHandbookGrade: 3 }), []],
    ['療育A1 at 30, with parents', facts({ birthDate: '1995-12-01', ryoikuGrade: 'A1' }), [['ryoiku_a', '療育手帳A1']]],
    ['療育B1 at 30', facts({ birthDate: '1995-12-01', ryoikuGrade: 'B1' }), []],
    ['精神1級, living alone', facts({ birthDate: '1980-01-01', mentalHandbookGrade: 1, livingAlone: true }), [['mental_grade_1_2_alone', '精神障害者保健福祉手帳1級・一人暮らし']]],
    ['精神2級, with family', facts({ birthDate: '1980-01-01', mentalHandbookGrade: 2 }), []],
    ['精神3級, living alone', facts({ birthDate: '1980-01-01', mentalHandbookGrade: 3, livingAlone: true }), []],
    ['難病 at 45', facts({ birthDate: '1981-02-03', intractableDisease: true }), [['intractable_disease', '難病']]],
    ['75th birthday tomorrow, living alone', facts({ birthDate: '1951-04-02', livingAlone: true }), []],
  ])('%s', (_, person, expected) => {
    const result = evaluateEligibility(DEFAULT_ELIGIBILITY_RULES, person, AS_OF);
    expect(result.eligible).toBe(expected.length > 0);
    expect(result.matched.map((m) => [m.code, m.because.ja])).toEqual(expected);
  });

  it('explains a match in English too', () => {
    const person = facts({ birthDate: '1943-10-10', livingAlone: true, physicalHandbookGrade: 2 });
    expect(evaluateEligibility(DEFAULT_ELIGIBILITY_RULES, person, AS_OF).matched.map((m) => m.because.en)).toEqual([
      'physical disability certificate grade 2',
      'aged 82, living alone',
    ]);
  });
});

describe('eligibilityRulesSchema', () => {
  const rule = (over: Record<string, unknown> = {}) => ({ code: 'care_level_3', kind: 'care_level_at_least', min: 3, label, ...over });
  /** A rule of another kind, without the care rule's `min`. */
  const other = (kind: string, fields: Record<string, unknown> = {}) => ({ code: 'other', kind, label, ...fields });
  const issuesOf = (input: unknown) => {
    const parsed = eligibilityRulesSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    return parsed.error!.issues.map((i) => ({ code: i.code, path: i.path, ...('keys' in i ? { keys: i.keys } : {}) }));
  };

  it.each([
    ['unknown kind', { rules: [rule({ kind: 'household_elderly_only' })] }, [{ code: 'invalid_union', path: ['rules', 0, 'kind'] }]],
    ['duplicate codes', { rules: [rule(), { ...other('intractable_disease'), code: 'care_level_3' }] }, [{ code: 'custom', path: ['rules'] }]],
    ['care min 0', { rules: [rule({ min: 0 })] }, [{ code: 'too_small', path: ['rules', 0, 'min'] }]],
    ['care min 6', { rules: [rule({ min: 6 })] }, [{ code: 'too_big', path: ['rules', 0, 'min'] }]],
    ['fractional care min', { rules: [rule({ min: 2.5 })] }, [{ code: 'invalid_type', path: ['rules', 0, 'min'] }]],
    ['care min as text', { rules: [rule({ min: '3' })] }, [{ code: 'invalid_type', path: ['rules', 0, 'min'] }]],
    ['physical max 0', { rules: [other('physical_handbook_grade_at_most', { max: 0 })] }, [{ code: 'too_small', path: ['rules', 0, 'max'] }]],
    ['physical max 7', { rules: [other('physical_handbook_grade_at_most', { max: 7 })] }, [{ code: 'too_big', path: ['rules', 0, 'max'] }]],
    ['unknown ryoiku grade', { rules: [other('ryoiku_grade_in', { grades: ['A', 'C'] })] }, [{ code: 'invalid_value', path: ['rules', 0, 'grades', 1] }]],
    ['no ryoiku grades', { rules: [other('ryoiku_grade_in', { grades: [] })] }, [{ code: 'too_small', path: ['rules', 0, 'grades'] }]],
    ['mental max 4', { rules: [other('mental_handbook_grade_at_most', { max: 4 })] }, [{ code: 'too_big', path: ['rules', 0, 'max'] }]],
    ['mental livingAlone not a boolean', { rules: [other('mental_handbook_grade_at_most', { max: 2, livingAlone: 'yes' })] }, [{ code: 'invalid_type', path: ['rules', 0, 'livingAlone'] }]],
    ['age min 59', { rules: [other('age_at_least', { min: 59 })] }, [{ code: 'too_small', path: ['rules', 0, 'min'] }]],
    ['age min 111', { rules: [other('age_at_least', { min: 111 })] }, [{ code: 'too_big', path: ['rules', 0, 'min'] }]],
    ['age without min', { rules: [other('age_at_least', { livingAlone: true })] }, [{ code: 'invalid_type', path: ['rules', 0, 'min'] }]],
    ['a field on intractable_disease', { rules: [other('intractable_disease', { min: 1 })] }, [{ code: 'unrecognized_keys', path: ['rules', 0], keys: ['min'] }]],
    ['livingAlone on a care rule', { rules: [rule({ livingAlone: true })] }, [{ code: 'unrecognized_keys', path: ['rules', 0], keys: ['livingAlone'] }]],
    ["another kind's field", { rules: [rule({ max: 2 })] }, [{ code: 'unrecognized_keys', path: ['rules', 0], keys: ['max'] }]],
    ['unknown key on a label', { rules: [rule({ label: { ...label, ko: '테스트' } })] }, [{ code: 'unrecognized_keys', path: ['rules', 0, 'label'], keys: ['ko'] }]],
    ['unknown key on the set', { rules: [rule()], asOf: '2026-04-01' }, [{ code: 'unrecognized_keys', path: [], keys: ['asOf'] }]],
    ['missing English label', { rules: [rule({ label: { ja: 'テスト' } })] }, [{ code: 'invalid_type', path: ['rules', 0, 'label', 'en'] }]],
    ['blank label', { rules: [rule({ label: { ja: '　', en: 'test' } })] }, [{ code: 'too_small', path: ['rules', 0, 'label', 'ja'] }]],
    ['code not snake_case', { rules: [rule({ code: 'Care-Level' })] }, [{ code: 'invalid_format', path: ['rules', 0, 'code'] }]],
    ['code starting with a digit', { rules: [rule({ code: '75_alone' })] }, [{ code: 'invalid_format', path: ['rules', 0, 'code'] }]],
    ['no rules', { rules: [] }, [{ code: 'too_small', path: ['rules'] }]],
    ['more than 30 rules', { rules: Array.from({ length: 31 }, (_, i) => rule({ code: `rule_${i}` })) }, [{ code: 'too_big', path: ['rules'] }]],
  ])('refuses %s', (_, input, expected) => {
    expect(issuesOf(input)).toEqual(expected);
  });

  it('names duplicate codes in both languages', () => {
    const parsed = eligibilityRulesSchema.safeParse({ rules: [rule(), rule()] });
    expect(toFieldErrors(parsed.error!.issues, 'body')).toEqual([
      { field: 'body.rules', code: 'custom', message: { ja: 'ルールのコードが重複しています。', en: 'Rule codes repeat.' } },
    ]);
  });

  it('accepts a tenant set of its own, livingAlone optional', () => {
    const input = {
      rules: [
        rule({ code: 'care_level_4', min: 4 }),
        other('age_at_least', { code: 'age_70', min: 70 }),
        other('ryoiku_grade_in', { code: 'ryoiku_any', grades: ['A', 'B'] }),
        other('mental_handbook_grade_at_most', { code: 'mental_1', max: 1 }),
      ],
    };
    expect(eligibilityRulesSchema.parse(input)).toEqual(input);
  });
});
