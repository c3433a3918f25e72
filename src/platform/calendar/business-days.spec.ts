import { addBusinessDays, businessDaysBetween, isBusinessDay } from './business-days';

describe('isBusinessDay', () => {
  it.each([
    ['2026-04-28', true], // Tuesday
    ['2026-04-29', false], // 昭和の日
    ['2026-05-02', false], // Saturday
    ['2026-05-03', false], // Sunday and 憲法記念日
    ['2026-05-06', false], // 振替休日
    ['2026-05-07', true],
    ['2026-09-22', false], // 国民の休日
    ['2026-12-28', true], // last working day of the year
    ['2026-12-29', false], // 年末年始 on a Tuesday
    ['2027-01-01', false],
    ['2026-01-02', false], // 年末年始 on a Friday
    ['2026-01-05', true],
  ])('%s → %s', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });
});

describe('addBusinessDays', () => {
  it.each([
    // Golden Week 2026: 04-29 (Wed) holiday, 05-02..05-06 off, so Thu 04-30 and Fri 05-01 are the only days before 05-07.
    ['2026-04-28', 1, '2026-04-30'],
    ['2026-04-28', 2, '2026-05-01'],
    ['2026-04-28', 3, '2026-05-07'],
    ['2026-05-01', 1, '2026-05-07'],
    // Ordinary weekend.
    ['2026-06-05', 1, '2026-06-08'],
    ['2026-06-05', 5, '2026-06-12'],
    // Weekend followed by 勤労感謝の日 on Monday.
    ['2026-11-20', 1, '2026-11-24'],
    // Silver Week 2026: 09-19..09-23 off.
    ['2026-09-18', 1, '2026-09-24'],
    // 年末年始: 12-29..01-03 closed, and 2027-01-02/03 are a weekend anyway.
    ['2026-12-25', 1, '2026-12-28'],
    ['2026-12-25', 2, '2027-01-04'],
    ['2026-12-28', 1, '2027-01-04'],
    // The 10-day Golden Week of 2019.
    ['2019-04-26', 1, '2019-05-07'],
  ])('%s + %i → %s', (from, days, expected) => {
    expect(addBusinessDays(from, days)).toBe(expected);
  });

  it('returns the start itself for 0 days when it is a business day, else the next business day', () => {
    expect(addBusinessDays('2026-04-28', 0)).toBe('2026-04-28');
    expect(addBusinessDays('2026-05-02', 0)).toBe('2026-05-07');
    expect(addBusinessDays('2026-12-31', 0)).toBe('2027-01-04');
  });

  it('rejects negative or fractional day counts and malformed dates', () => {
    expect(() => addBusinessDays('2026-04-28', -1)).toThrow(RangeError);
    expect(() => addBusinessDays('2026-04-28', 1.5)).toThrow(RangeError);
    expect(() => addBusinessDays('2026-4-28', 1)).toThrow(RangeError);
  });

  it('does not depend on the host time zone', () => {
    const original = process.env.TZ;
    try {
      for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Tokyo']) {
        process.env.TZ = zone;
        expect(addBusinessDays('2026-04-28', 3)).toBe('2026-05-07');
        expect(isBusinessDay('2026-05-06')).toBe(false);
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });
});

describe('businessDaysBetween', () => {
  it.each([
    ['2026-04-28', '2026-05-07', 3], // 04-30, 05-01, 05-07
    ['2026-04-28', '2026-04-28', 0],
    ['2026-05-07', '2026-04-28', 0],
    ['2026-06-05', '2026-06-08', 1], // across a weekend
    ['2026-12-25', '2027-01-04', 2], // 12-28 and 01-04
    // 261 weekdays in 2026, minus 17 weekday holidays, minus 01-02, 12-29, 12-30 and 12-31.
    ['2025-12-31', '2026-12-31', 240],
  ])('(%s, %s] → %i', (from, to, expected) => {
    expect(businessDaysBetween(from, to)).toBe(expected);
  });

  it('agrees with addBusinessDays', () => {
    for (const days of [1, 7, 30, 120]) {
      expect(businessDaysBetween('2026-04-28', addBusinessDays('2026-04-28', days))).toBe(days);
    }
  });
});
