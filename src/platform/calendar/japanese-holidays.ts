// 国民の祝日 per the current 祝日法 (2000–2099), including the 2019 accession days and
// the 2020/2021 Olympic moves. Dates are plain ISO strings; all arithmetic is UTC.

const FIRST_SUPPORTED_YEAR = 2000;
const LAST_SUPPORTED_YEAR = 2099;
const SUNDAY = 0;
const MONDAY = 1;
const SUBSTITUTE_HOLIDAY = '振替休日';
const CITIZENS_HOLIDAY = '国民の休日';

type NamedHoliday = readonly [month: number, day: number, name: string];

const holidaysByYear = new Map<number, ReadonlyMap<string, string>>();

export function japaneseHolidays(year: number): Map<string, string> {
  // A copy, so callers cannot corrupt the cache.
  return new Map(holidaysOf(year));
}

export function isJapaneseHoliday(date: string): boolean {
  return holidaysOf(yearOf(date)).has(date);
}

function holidaysOf(year: number): ReadonlyMap<string, string> {
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    holidays = computeHolidays(year);
    holidaysByYear.set(year, holidays);
  }
  return holidays;
}

function computeHolidays(year: number): ReadonlyMap<string, string> {
  if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
    throw new RangeError(`Japanese holidays are only supported for ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR}, got ${year}`);
  }
  const national = new Map(namedHolidays(year).map(([month, day, name]) => [isoDate(year, month, day), name] as const));
  const holidays = new Map(national);

  // 振替休日: a 祝日 on Sunday moves to the nearest following day that is not already a holiday.
  for (const date of [...national.keys()].sort()) {
    if (weekdayOf(date) !== SUNDAY) continue;
    let substitute = addDays(date, 1);
    while (holidays.has(substitute)) substitute = addDays(substitute, 1);
    holidays.set(substitute, SUBSTITUTE_HOLIDAY);
  }

  // 国民の休日: an ordinary day whose both neighbours are 祝日 (振替休日 does not count as a neighbour).
  for (const date of national.keys()) {
    const between = addDays(date, 1);
    if (national.has(addDays(date, 2)) && !holidays.has(between) && weekdayOf(between) !== SUNDAY) {
      holidays.set(between, CITIZENS_HOLIDAY);
    }
  }

  return new Map([...holidays].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function namedHolidays(year: number): NamedHoliday[] {
  const holidays: NamedHoliday[] = [
    [1, 1, '元日'],
    [1, nthMonday(year, 1, 2), '成人の日'],
    [2, 11, '建国記念の日'],
    [3, vernalEquinoxDay(year), '春分の日'],
    [4, 29, year >= 2007 ? '昭和の日' : 'みどりの日'],
    [5, 3, '憲法記念日'],
    [5, 5, 'こどもの日'],
    [9, year >= 2003 ? nthMonday(year, 9, 3) : 15, '敬老の日'],
    [9, autumnalEquinoxDay(year), '秋分の日'],
    [11, 3, '文化の日'],
    [11, 23, '勤労感謝の日'],
  ];
  if (year >= 2007) holidays.push([5, 4, 'みどりの日']);

  // The emperor's birthday moved with the 2019 accession; 2019 itself had none.
  if (year <= 2018) holidays.push([12, 23, '天皇誕生日']);
  if (year >= 2020) holidays.push([2, 23, '天皇誕生日']);
  if (year === 2019) holidays.push([5, 1, '即位の日'], [10, 22, '即位礼正殿の儀']);

  // Tokyo Olympics special law moved three holidays in 2020 and again in 2021.
  if (year === 2020) {
    holidays.push([7, 23, '海の日'], [7, 24, 'スポーツの日'], [8, 10, '山の日']);
  } else if (year === 2021) {
    holidays.push([7, 22, '海の日'], [7, 23, 'スポーツの日'], [8, 8, '山の日']);
  } else {
    holidays.push([7, year >= 2003 ? nthMonday(year, 7, 3) : 20, '海の日']);
    if (year >= 2016) holidays.push([8, 11, '山の日']);
    holidays.push([10, nthMonday(year, 10, 2), year >= 2020 ? 'スポーツの日' : '体育の日']);
  }
  return holidays;
}

// Standard approximation of the equinox dates published by NAOJ, valid 1980–2099.
function vernalEquinoxDay(year: number): number {
  return Math.floor(20.8431 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));
}

function autumnalEquinoxDay(year: number): number {
  return Math.floor(23.2488 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));
}

function nthMonday(year: number, month: number, n: number): number {
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return 1 + ((MONDAY - firstWeekday + 7) % 7) + 7 * (n - 1);
}

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return isoDate(year, month, day + days);
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function yearOf(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  // The round trip rejects both malformed strings and impossible dates such as 02-30.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || isoDate(year, month, day) !== date) {
    throw new RangeError(`Expected an ISO date (YYYY-MM-DD), got "${date}"`);
  }
  return year;
}
