import { isJapaneseHoliday, japaneseHolidays } from './japanese-holidays';

// Expected values are the dates published by the Cabinet Office (内閣府「国民の祝日について」).
describe('japaneseHolidays', () => {
  it('lists every holiday of 2025 in date order', () => {
    expect([...japaneseHolidays(2025)]).toEqual([
      ['2025-01-01', '元日'],
      ['2025-01-13', '成人の日'],
      ['2025-02-11', '建国記念の日'],
      ['2025-02-23', '天皇誕生日'],
      ['2025-02-24', '振替休日'],
      ['2025-03-20', '春分の日'],
      ['2025-04-29', '昭和の日'],
      ['2025-05-03', '憲法記念日'],
      ['2025-05-04', 'みどりの日'],
      ['2025-05-05', 'こどもの日'],
      ['2025-05-06', '振替休日'],
      ['2025-07-21', '海の日'],
      ['2025-08-11', '山の日'],
      ['2025-09-15', '敬老の日'],
      ['2025-09-23', '秋分の日'],
      ['2025-10-13', 'スポーツの日'],
      ['2025-11-03', '文化の日'],
      ['2025-11-23', '勤労感謝の日'],
      ['2025-11-24', '振替休日'],
    ]);
  });

  it('lists every holiday of 2026 in date order', () => {
    expect([...japaneseHolidays(2026)]).toEqual([
      ['2026-01-01', '元日'],
      ['2026-01-12', '成人の日'],
      ['2026-02-11', '建国記念の日'],
      ['2026-02-23', '天皇誕生日'],
      ['2026-03-20', '春分の日'],
      ['2026-04-29', '昭和の日'],
      ['2026-05-03', '憲法記念日'],
      ['2026-05-04', 'みどりの日'],
      ['2026-05-05', 'こどもの日'],
      ['2026-05-06', '振替休日'],
      ['2026-07-20', '海の日'],
      ['2026-08-11', '山の日'],
      ['2026-09-21', '敬老の日'],
      ['2026-09-22', '国民の休日'],
      ['2026-09-23', '秋分の日'],
      ['2026-10-12', 'スポーツの日'],
      ['2026-11-03', '文化の日'],
      ['2026-11-23', '勤労感謝の日'],
    ]);
  });

  it('handles the 2019 accession: no 天皇誕生日, two one-off holidays and the 10-day Golden Week', () => {
    const holidays = japaneseHolidays(2019);
    expect(holidays.get('2019-04-29')).toBe('昭和の日');
    expect(holidays.get('2019-04-30')).toBe('国民の休日');
    expect(holidays.get('2019-05-01')).toBe('即位の日');
    expect(holidays.get('2019-05-02')).toBe('国民の休日');
    expect(holidays.get('2019-05-06')).toBe('振替休日');
    expect(holidays.get('2019-10-22')).toBe('即位礼正殿の儀');
    expect([...holidays.values()]).not.toContain('天皇誕生日');
    expect(holidays.has('2019-12-23')).toBe(false);
    expect(holidays.size).toBe(22);
  });

  it('moves 海の日, スポーツの日 and 山の日 for the 2020 Olympics', () => {
    const holidays = japaneseHolidays(2020);
    expect(holidays.get('2020-07-23')).toBe('海の日');
    expect(holidays.get('2020-07-24')).toBe('スポーツの日');
    expect(holidays.get('2020-08-10')).toBe('山の日');
    expect(holidays.get('2020-02-24')).toBe('振替休日');
    for (const usualDate of ['2020-07-20', '2020-08-11', '2020-10-12']) expect(holidays.has(usualDate)).toBe(false);
    expect(holidays.size).toBe(18);
  });

  it('moves them again for 2021, with 山の日 on a Sunday giving 振替休日', () => {
    const holidays = japaneseHolidays(2021);
    expect(holidays.get('2021-07-22')).toBe('海の日');
    expect(holidays.get('2021-07-23')).toBe('スポーツの日');
    expect(holidays.get('2021-08-08')).toBe('山の日');
    expect(holidays.get('2021-08-09')).toBe('振替休日');
    for (const usualDate of ['2021-07-19', '2021-08-11', '2021-10-11']) expect(holidays.has(usualDate)).toBe(false);
    expect(holidays.size).toBe(17);
  });

  it('keeps 天皇誕生日 on December 23 until 2018', () => {
    expect(japaneseHolidays(2018).get('2018-12-23')).toBe('天皇誕生日');
    expect(japaneseHolidays(2018).get('2018-12-24')).toBe('振替休日');
    expect(japaneseHolidays(2018).has('2018-02-23')).toBe(false);
  });

  it.each([
    [2012, '2012-03-20', '2012-09-22'],
    [2019, '2019-03-21', '2019-09-23'],
    [2023, '2023-03-21', '2023-09-23'],
    [2024, '2024-03-20', '2024-09-22'],
    [2027, '2027-03-21', '2027-09-23'],
  ])('computes the equinoxes of %i', (year, vernal, autumnal) => {
    const holidays = japaneseHolidays(year);
    expect(holidays.get(vernal)).toBe('春分の日');
    expect(holidays.get(autumnal)).toBe('秋分の日');
  });

  it('gives 振替休日 to the first non-holiday after a Sunday holiday', () => {
    expect(japaneseHolidays(2024).get('2024-09-23')).toBe('振替休日');
    expect(japaneseHolidays(2027).get('2027-03-22')).toBe('振替休日');
  });

  it('applies the pre-2007 law: 4/29 was みどりの日 and 5/4 only a 国民の休日', () => {
    const holidays2006 = japaneseHolidays(2006);
    expect(holidays2006.get('2006-04-29')).toBe('みどりの日');
    expect(holidays2006.get('2006-05-04')).toBe('国民の休日');
    expect(japaneseHolidays(2007).get('2007-05-04')).toBe('みどりの日');
    expect(japaneseHolidays(2002).get('2002-07-20')).toBe('海の日');
    expect(japaneseHolidays(2002).get('2002-09-15')).toBe('敬老の日');
  });

  it('returns a copy, so callers cannot corrupt the cached year', () => {
    japaneseHolidays(2026).delete('2026-01-01');
    expect(japaneseHolidays(2026).has('2026-01-01')).toBe(true);
    expect(isJapaneseHoliday('2026-01-01')).toBe(true);
  });

  it('rejects years outside 2000–2099', () => {
    expect(() => japaneseHolidays(1999)).toThrow(RangeError);
    expect(() => japaneseHolidays(2100)).toThrow(RangeError);
  });
});

describe('isJapaneseHoliday', () => {
  it.each([
    ['2026-05-06', true],
    ['2026-09-22', true],
    ['2026-05-07', false],
    ['2026-05-02', false],
    ['2026-12-29', false],
  ])('%s → %s', (date, expected) => {
    expect(isJapaneseHoliday(date)).toBe(expected);
  });

  it('rejects strings that are not real ISO dates', () => {
    expect(() => isJapaneseHoliday('2026-02-30')).toThrow(RangeError);
    expect(() => isJapaneseHoliday('2026/05/06')).toThrow(RangeError);
  });
});
