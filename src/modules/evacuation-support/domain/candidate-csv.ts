import { CsvFormatError, csvRecords, decodeCsv, type Bilingual, type CsvEncoding, type CsvRecord } from '../../../platform/csv/csv';
import { RYOIKU_GRADES, type EligibilityFacts } from './eligibility';

/**
 * Candidate CSV — the 避難行動要支援者 (people needing help to evacuate) candidate list that 福祉課
 * extracts from care-insurance and disability records. Pure: bytes in, parsed and rejected rows out
 * (a row at a time with `openCandidateCsv`), so the import can report on every row before any enters.
 */
export type CandidateSex = 'female' | 'male' | 'other' | 'unknown';

/** The eligibility facts come straight from the row, in the shape the criteria read them. */
export interface CandidateRow extends Omit<EligibilityFacts, 'birthDate'> {
  /** 1-based physical line in the file where the row starts; the header is line 1. */
  line: number;
  residentNumber: string;
  familyName: string;
  givenName: string;
  familyNameKana: string | null;
  givenNameKana: string | null;
  /** YYYY-MM-DD. */
  birthDate: string;
  sex: CandidateSex;
  address: string;
  phone: string | null;
  districtCode: string;
  householdSituation: string | null;
}

export interface RowProblem extends Bilingual {
  /** The Japanese header of the column at fault; '' when the row as a whole is malformed. */
  column: string;
}

export interface RejectedRow {
  line: number;
  /** Only when the row's 宛名番号 itself is valid, so staff can find the person. */
  residentNumber: string | null;
  problems: RowProblem[];
}

export interface CandidateCsvOptions {
  /** The tenant's 地区 codes; a row in any other district is rejected. */
  districtCodes: string[];
  /** YYYY-MM-DD: birth dates after this day are rejected. */
  asOf: string;
}

export interface CandidateCsvResult {
  encoding: CsvEncoding;
  rows: CandidateRow[];
  rejected: RejectedRow[];
  /** Non-blank data rows: rows.length + rejected.length. */
  totalRows: number;
}


// ---------------------------------------------------------------------------------------------
// Columns

interface ColumnDef {
  ja: string;
  en: string;
  required: boolean;
}

const COLUMNS = {
  residentNumber: { ja: '宛名番号', en: 'resident number', required: true },
  name: { ja: '氏名', en: 'name', required: true },
  birthDate: { ja: '生年月日', en: 'birth date', required: true },
  address: { ja: '住所', en: 'address', required: true },
  district: { ja: '地区', en: 'district', required: true },
  kana: { ja: '氏名カナ', en: 'name kana', required: false },
  sex: { ja: '性別', en: 'sex', required: false },
  phone: { ja: '電話番号', en: 'phone', required: false },
  careLevel: { ja: '要介護度', en: 'care level', required: false },
  physical: { ja: '身体障害者手帳', en: 'physical disability certificate', required: false },
  ryoiku: { ja: '療育手帳', en: 'ryoiku certificate', required: false },
  mental: { ja: '精神障害者保健福祉手帳', en: 'mental disability certificate', required: false },
  intractable: { ja: '難病', en: 'intractable disease', required: false },
  livingAlone: { ja: '独居', en: 'living alone', required: false },
  household: { ja: '世帯状況', en: 'household situation', required: false },
} as const satisfies Record<string, ColumnDef>;

type ColumnKey = keyof typeof COLUMNS;
const COLUMN_KEYS = Object.keys(COLUMNS) as ColumnKey[];
const KEY_BY_HEADER = new Map<string, ColumnKey>(COLUMN_KEYS.map((k) => [COLUMNS[k].ja, k]));

const HOUSEHOLD_MAX = 200;
const EARLIEST_BIRTH = '1900-01-01';
const CARE_LEVELS = new Set(['要支援1', '要支援2', '要介護1', '要介護2', '要介護3', '要介護4', '要介護5']);
const RYOIKU = new Set<string>(RYOIKU_GRADES);
const TRUE_WORDS = new Set(['有', 'あり', '1', 'true']);
const FALSE_WORDS = new Set(['', '無', 'なし', '0', 'false']);
const SEXES = new Map<string, CandidateSex>([
  ['男', 'male'],
  ['女', 'female'],
  ['その他', 'other'],
  ['不明', 'unknown'],
  ['', 'unknown'],
]);

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * Parses and validates the candidate list. Throws CsvFormatError only when the file cannot be
 * read at all; otherwise every non-blank data row lands in exactly one of rows / rejected, and a
 * rejected row lists all its problems so staff fix the extract in one pass.
 */
export function parseCandidateCsv(bytes: Buffer, options: CandidateCsvOptions): CandidateCsvResult {
  const { encoding, rows: read } = openCandidateCsv(bytes, options);
  const rows: CandidateRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const result of read) {
    if (result.row) rows.push(result.row);
    else rejected.push(result.rejected);
  }
  return { encoding, rows, rejected, totalRows: rows.length + rejected.length };
}

/** One data row read: valid, or rejected with all its problems. */
export type CandidateRowResult = { row: CandidateRow; rejected?: undefined } | { row?: undefined; rejected: RejectedRow };

/**
 * `parseCandidateCsv` a row at a time: the encoding and header are read (and a file that cannot be
 * read refused) at once, the rows as the caller pulls them, so a file of 10⁵ rows never has all its
 * rows in memory at once. Pulling the rows may still throw CsvFormatError (an unterminated quote).
 */
export function openCandidateCsv(bytes: Buffer, options: CandidateCsvOptions): { encoding: CsvEncoding; rows: Generator<CandidateRowResult, void, undefined> } {
  const asOf = checkAsOf(options.asOf);
  // Compare codes width-insensitively but hand back the tenant's own spelling.
  const districts = new Map(options.districtCodes.map((code) => [halfWidth(code.trim()), code]));

  const { text, encoding } = decodeCsv(bytes);
  // Blank lines, and Excel's all-comma lines, are not rows.
  const records = nonBlank(csvRecords(text));
  const first = records.next();
  if (first.done) throw new CsvFormatError([{ ja: 'ファイルが空です', en: 'the file is empty' }]);
  const header = first.value;
  const index = readHeader(header);
  return { encoding, rows: candidateRows(records, header.fields.length, index, districts, asOf) };
}

function* nonBlank(records: Iterable<CsvRecord>): Generator<CsvRecord, void, undefined> {
  for (const record of records) if (record.fields.some((f) => f.trim() !== '')) yield record;
}

function* candidateRows(records: Iterator<CsvRecord>, headerWidth: number, index: ColumnIndex, districts: Map<string, string>, asOf: string): Generator<CandidateRowResult, void, undefined> {
  // First line seen for each identity key, rejected rows included: a duplicate is a duplicate.
  const lineByNumber = new Map<string, number>();
  const lineByPerson = new Map<string, number>();

  for (let next = records.next(); !next.done; next = records.next()) {
    const record = next.value;
    const result = parseRow(record, index, headerWidth, districts, asOf);
    const { problems, identity } = result;

    if (identity.residentNumber !== null) {
      const first = lineByNumber.get(identity.residentNumber);
      if (first === undefined) lineByNumber.set(identity.residentNumber, record.line);
      else problems.push(duplicate(COLUMNS.residentNumber.ja, first, '宛名番号', 'resident number'));
    }
    if (identity.person !== null) {
      const first = lineByPerson.get(identity.person);
      if (first === undefined) lineByPerson.set(identity.person, record.line);
      else problems.push(duplicate(COLUMNS.name.ja, first, '氏名・生年月日', 'name and birth date'));
    }

    if (problems.length > 0 || !result.row) yield { rejected: { line: record.line, residentNumber: identity.residentNumber, problems } };
    else yield { row: result.row };
  }
}

function duplicate(column: string, line: number, ja: string, en: string): RowProblem {
  return { column, ja: `${line}行目と重複しています（${ja}）`, en: `duplicates line ${line} (${en})` };
}

function checkAsOf(asOf: string): string {
  // A bad asOf is the caller's bug, not the file's: fail loudly instead of rejecting every row.
  if (parseDate(asOf) !== asOf) throw new RangeError(`asOf must be a real YYYY-MM-DD date, got "${asOf}"`);
  return asOf;
}

type ColumnIndex = Partial<Record<ColumnKey, number>>;

function readHeader(header: CsvRecord): ColumnIndex {
  const index: ColumnIndex = {};
  const repeated: string[] = [];
  header.fields.forEach((raw, i) => {
    const key = KEY_BY_HEADER.get(raw.trim());
    if (!key) return; // other columns in the extract are allowed and ignored
    if (index[key] === undefined) index[key] = i;
    else repeated.push(COLUMNS[key].ja);
  });

  if (Object.keys(index).length === 0) {
    const required = COLUMN_KEYS.filter((k) => COLUMNS[k].required).map((k) => COLUMNS[k].ja);
    throw new CsvFormatError([
      {
        ja: `${header.line}行目に見出し行がありません（${required.join('、')} などの列名が必要です）。文字コードと1行目を確認してください`,
        en: `no header row on line ${header.line} (column names such as ${required.join(', ')} are needed); check the encoding and the first line`,
      },
    ]);
  }
  const problems: Bilingual[] = [];
  const missing = COLUMN_KEYS.filter((k) => COLUMNS[k].required && index[k] === undefined).map((k) => COLUMNS[k].ja);
  if (missing.length > 0) {
    problems.push({ ja: `必須の列がありません：${missing.join('、')}`, en: `missing required columns: ${missing.join(', ')}` });
  }
  if (repeated.length > 0) {
    // Two 住所 columns: we cannot know which one is meant.
    const names = [...new Set(repeated)];
    problems.push({ ja: `列名が重複しています：${names.join('、')}`, en: `repeated columns: ${names.join(', ')}` });
  }
  if (problems.length > 0) throw new CsvFormatError(problems);
  return index;
}

interface RowResult {
  row: CandidateRow | null;
  problems: RowProblem[];
  /** Keys for duplicate detection, when the row's values are valid enough to form them. */
  identity: { residentNumber: string | null; person: string | null };
}

function parseRow(record: CsvRecord, index: ColumnIndex, headerWidth: number, districts: Map<string, string>, asOf: string): RowResult {
  const problems: RowProblem[] = [];
  const get = (key: ColumnKey): string => {
    const i = index[key];
    return i === undefined ? '' : (record.fields[i] ?? '').trim();
  };
  const fail = (key: ColumnKey, ja: string, en: string): null => {
    problems.push({ column: COLUMNS[key].ja, ja, en });
    return null;
  };
  const required = (key: ColumnKey): string | null => {
    const value = get(key);
    return value === '' ? fail(key, `${COLUMNS[key].ja}が空です`, `${COLUMNS[key].en} is empty`) : value;
  };

  // Extra non-empty fields mean an unquoted comma shifted the row; fewer fields are just empty ones.
  if (record.fields.length > headerWidth && record.fields.slice(headerWidth).some((f) => f.trim() !== '')) {
    problems.push({
      column: '',
      ja: `列の数（${record.fields.length}）が見出し（${headerWidth}）より多いです。カンマを含む値は「"」で囲んでください`,
      en: `${record.fields.length} fields but the header has ${headerWidth}; quote values that contain commas`,
    });
  }

  // 宛名番号 (resident number): the municipality's internal person key; leading zeros matter.
  let residentNumber: string | null = null;
  const rawNumber = required('residentNumber');
  if (rawNumber !== null) {
    const n = halfWidth(rawNumber);
    if (/^\d{1,15}$/.test(n)) residentNumber = n;
    else fail('residentNumber', `宛名番号「${show(rawNumber)}」は1〜15桁の数字ではありません`, `resident number "${show(rawNumber)}" is not 1–15 digits`);
  }

  // 氏名 (name): family and given split on the first space; the rest is the given name (middle names).
  let name: [string, string] | null = null;
  const rawName = required('name');
  if (rawName !== null) {
    name = splitName(rawName);
    if (!name) {
      fail('name', `氏名「${show(rawName)}」は姓と名を空白で区切ってください`, `name "${show(rawName)}" needs a space between family and given name`);
    }
  }

  // 氏名カナ: NFKC turns the half-width ｶﾅ of older host systems into full-width カナ.
  let kana: [string, string] | null = null;
  const rawKana = get('kana');
  if (rawKana !== '') {
    const split = splitName(rawKana.normalize('NFKC'));
    if (!split) {
      fail('kana', `氏名カナ「${show(rawKana)}」は姓と名を空白で区切ってください`, `name kana "${show(rawKana)}" needs a space between family and given name`);
    } else if (!split.every((part) => KATAKANA.test(part))) {
      fail('kana', `氏名カナ「${show(rawKana)}」はカタカナで入力してください`, `name kana "${show(rawKana)}" must be katakana`);
    } else {
      kana = split;
    }
  }

  // 生年月日 (birth date)
  let birthDate: string | null = null;
  const rawBirth = required('birthDate');
  if (rawBirth !== null) {
    const iso = parseDate(halfWidth(rawBirth));
    if (iso === 'format') {
      fail('birthDate', `生年月日「${show(rawBirth)}」は YYYY-MM-DD または YYYY/MM/DD の形式で入力してください`, `birth date "${show(rawBirth)}" must be YYYY-MM-DD or YYYY/MM/DD`);
    } else if (iso === 'unreal') {
      fail('birthDate', `生年月日「${show(rawBirth)}」は存在しない日付です`, `birth date "${show(rawBirth)}" is not a real date`);
    } else if (iso > asOf) {
      fail('birthDate', `生年月日「${show(rawBirth)}」は基準日（${asOf}）より後の日付です`, `birth date "${show(rawBirth)}" is after the reference date ${asOf}`);
    } else if (iso < EARLIEST_BIRTH) {
      fail('birthDate', `生年月日「${show(rawBirth)}」は1900年より前の日付です`, `birth date "${show(rawBirth)}" is before 1900`);
    } else {
      birthDate = iso;
    }
  }

  const address = required('address');

  // 地区 (district): decides which 民生委員 and 自主防災組織 receive the person.
  let districtCode: string | null = null;
  const rawDistrict = required('district');
  if (rawDistrict !== null) {
    districtCode = districts.get(halfWidth(rawDistrict)) ?? null;
    if (districtCode === null) {
      fail('district', `地区「${show(rawDistrict)}」は登録されている地区コードではありません`, `district "${show(rawDistrict)}" is not a known district code`);
    }
  }

  const rawSex = get('sex');
  const sex = SEXES.get(rawSex) ?? fail('sex', `性別「${show(rawSex)}」は 男・女・その他・不明 のいずれかにしてください`, `sex "${show(rawSex)}" must be 男, 女, その他 or 不明`);

  // 電話番号: digits with hyphens only between them; dash look-alikes are common in typed data.
  let phone: string | null = null;
  const rawPhone = get('phone');
  if (rawPhone !== '') {
    const p = halfWidth(rawPhone).replace(DASHES, '-');
    if (p.length >= 10 && p.length <= 13 && /^\d+(?:-\d+)*$/.test(p)) phone = p;
    else fail('phone', `電話番号「${show(rawPhone)}」は数字とハイフンで10〜13文字にしてください`, `phone "${show(rawPhone)}" must be 10–13 digits and hyphens`);
  }

  // 要介護度 (care-need level from 要介護認定)
  let careLevel: string | null = null;
  const rawCare = get('careLevel');
  if (rawCare !== '') {
    const c = halfWidth(rawCare);
    if (CARE_LEVELS.has(c)) careLevel = c;
    else fail('careLevel', `要介護度「${show(rawCare)}」は 要支援1・要支援2・要介護1〜要介護5 のいずれかにしてください`, `care level "${show(rawCare)}" must be 要支援1, 要支援2 or 要介護1 to 要介護5`);
  }

  // 身体障害者手帳 (physical disability certificate): 1 is the most severe.
  let physicalHandbookGrade: number | null = null;
  const rawPhysical = get('physical');
  if (rawPhysical !== '') {
    const m = /^([1-6])級?$/.exec(halfWidth(rawPhysical));
    if (m) physicalHandbookGrade = Number(m[1]);
    else fail('physical', `身体障害者手帳「${show(rawPhysical)}」は1級〜6級で入力してください`, `physical disability certificate "${show(rawPhysical)}" must be grade 1 to 6`);
  }

  // 療育手帳 (intellectual disability certificate): Ａ１ and a1 mean A1.
  let ryoikuGrade: string | null = null;
  const rawRyoiku = get('ryoiku');
  if (rawRyoiku !== '') {
    const g = halfWidth(rawRyoiku).toUpperCase();
    if (RYOIKU.has(g)) ryoikuGrade = g;
    else fail('ryoiku', `療育手帳「${show(rawRyoiku)}」は A・A1・A2・B・B1・B2 のいずれかにしてください`, `ryoiku certificate "${show(rawRyoiku)}" must be A, A1, A2, B, B1 or B2`);
  }

  // 精神障害者保健福祉手帳 (mental disability certificate): 1級–3級; a bare digit is accepted too.
  let mentalHandbookGrade: number | null = null;
  const rawMental = get('mental');
  if (rawMental !== '') {
    const m = /^([1-3])級?$/.exec(halfWidth(rawMental));
    if (m) mentalHandbookGrade = Number(m[1]);
    else fail('mental', `精神障害者保健福祉手帳「${show(rawMental)}」は1級〜3級で入力してください`, `mental disability certificate "${show(rawMental)}" must be grade 1 to 3`);
  }

  const intractableDisease = flag('intractable', get('intractable'), fail);
  const livingAlone = flag('livingAlone', get('livingAlone'), fail);

  // 世帯状況 (household situation): free text, counted in characters, not UTF-16 units.
  const household = get('household');
  const householdLength = [...household].length;
  if (householdLength > HOUSEHOLD_MAX) {
    fail('household', `世帯状況は${HOUSEHOLD_MAX}文字以内にしてください（${householdLength}文字）`, `household situation must be at most ${HOUSEHOLD_MAX} characters (it has ${householdLength})`);
  }

  const identity = {
    residentNumber,
    person: name && birthDate ? `${name[0]}\u0000${name[1].replace(SPACES, ' ')}\u0000${birthDate}` : null,
  };
  if (problems.length > 0 || !residentNumber || !name || !birthDate || !address || !districtCode || !sex || intractableDisease === null || livingAlone === null) {
    return { row: null, problems, identity };
  }
  return {
    row: {
      line: record.line,
      residentNumber,
      familyName: name[0],
      givenName: name[1],
      familyNameKana: kana?.[0] ?? null,
      givenNameKana: kana?.[1] ?? null,
      birthDate,
      sex,
      address,
      phone,
      districtCode,
      careLevel,
      physicalHandbookGrade,
      ryoikuGrade,
      mentalHandbookGrade,
      intractableDisease,
      livingAlone,
      householdSituation: household === '' ? null : household,
    },
    problems,
    identity,
  };
}

const SPACES = /[ \u3000\t]+/g;
const KATAKANA = /^[\u30A1-\u30FA\u30FC-\u30FE・]+(?:[ \u3000]+[\u30A1-\u30FA\u30FC-\u30FE・]+)*$/;
// ‐ ‑ ‒ – — ― − and the long-vowel marks ー/ｰ that people type for hyphens in phone numbers.
const DASHES = /[\u2010-\u2015\u2212\u30FC\uFF70]/g;

function splitName(value: string): [string, string] | null {
  const m = /^(\S+?)[ \u3000]+(\S.*)$/su.exec(value);
  return m ? [m[1]!, m[2]!] : null;
}

function flag(key: 'intractable' | 'livingAlone', raw: string, fail: (key: ColumnKey, ja: string, en: string) => null): boolean | null {
  const v = halfWidth(raw).toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  const col = COLUMNS[key];
  return fail(
    key,
    `${col.ja}「${show(raw)}」は 有・無（あり・なし、1・0、true・false）で入力してください`,
    `${col.en} "${show(raw)}" must be yes or no (有/無, あり/なし, 1/0, true/false)`,
  );
}

/** YYYY-MM-DD, YYYY/MM/DD or YYYY/M/D → YYYY-MM-DD; 'format' or 'unreal' (e.g. 2月30日) otherwise. */
function parseDate(value: string): string | 'format' | 'unreal' {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(value);
  if (!m) return 'format';
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return 'unreal';
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const WIDE = /[\uFF01-\uFF5E\u3000]/;

/** Full-width ASCII (０-９, Ａ-Ｚ, －…) → half-width, for code-like columns typed on Japanese IMEs. */
function halfWidth(value: string): string {
  if (!WIDE.test(value)) return value;
  return value.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** A value as quoted back in a message: one line, and not the whole of a runaway field. */
function show(value: string): string {
  const flat = value.replace(/\s+/g, ' ');
  const chars = [...flat];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : flat;
}
