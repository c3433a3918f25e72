import { decodeCsv, readCsv, CsvFormatError, type CsvEncoding } from '../../../platform/csv/csv';
import { createResourceSchema, type CreateResourceInput } from './participation.schemas';
import { RESOURCE_KIND_LABELS, RESOURCE_TAG_LABELS, WEEKDAY_LABELS } from './resource.entity';

type Bilingual = { ja: string; en: string };

/** The columns of a directory CSV, by their Japanese header (the order in a file does not matter). */
export const RESOURCE_CSV_COLUMNS = {
  name: '名称',
  kind: '種別',
  owner: '担当課',
  districtCode: '地区',
  address: '住所',
  days: '曜日',
  hours: '時間',
  capacity: '定員',
  freePlaces: '空き',
  costs: '費用',
  accessibility: 'バリアフリー',
  languages: '言語',
  runBy: '運営',
  contact: '連絡先',
  tags: 'タグ',
  conditions: '条件',
  asOf: '確認日',
} as const;
type Column = keyof typeof RESOURCE_CSV_COLUMNS;
const REQUIRED: Column[] = ['name', 'kind', 'owner', 'districtCode'];

export const RESOURCE_CSV_EXAMPLE = `${Object.values(RESOURCE_CSV_COLUMNS).join(',')}\r\n本町サロン,サロン,choju,A,本町1-1,月・水,10:00-12:00,20,5,100円,車いす可,日本語,本町自治会,0120-000-000,孤立・高齢者,,2026-11-01`;

export interface ResourceCsvRow {
  line: number;
  input: CreateResourceInput;
}
export interface ResourceCsvRejection {
  line: number;
  name: string | null;
  problems: Bilingual[];
}
export interface ResourceCsvResult {
  encoding: CsvEncoding;
  rows: ResourceCsvRow[];
  rejected: ResourceCsvRejection[];
}

/** A code or its Japanese label, whichever the file holds. */
function codeOf(labels: { codes: readonly string[]; labels: Readonly<Record<string, Bilingual>> }, value: string): string | undefined {
  return labels.codes.find((code) => code === value || labels.labels[code].ja === value);
}
const LIST = /[・、,，\s\u3000/]+/;
const list = (value: string) => value.split(LIST).map((v) => v.trim()).filter(Boolean);

/**
 * Reads a directory CSV (Shift_JIS or UTF-8, a header row of the Japanese column names): each row
 * becomes a create request checked by the same schema as the API's, or a rejection naming its line
 * and what is wrong. `departmentIdOf` turns the 担当課 column (a code or a name) into an id.
 */
export function parseResourceCsv(bytes: Buffer, departmentIdOf: (value: string) => string | undefined): ResourceCsvResult {
  const { text, encoding } = decodeCsv(bytes);
  const records = readCsv(text).filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = records[0];
  if (!header) throw new CsvFormatError([{ ja: 'ファイルが空です', en: 'the file is empty' }]);
  const index = new Map<Column, number>();
  for (const [column, ja] of Object.entries(RESOURCE_CSV_COLUMNS) as [Column, string][]) {
    const at = header.fields.findIndex((f) => f.trim().replace(/^\uFEFF/, '') === ja);
    if (at >= 0) index.set(column, at);
  }
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length) {
    const names = missing.map((c) => RESOURCE_CSV_COLUMNS[c]).join('、');
    throw new CsvFormatError([{ ja: `見出し行に必須の列がありません: ${names}`, en: `the header lacks required columns: ${names}` }]);
  }
  const rows: ResourceCsvRow[] = [];
  const rejected: ResourceCsvRejection[] = [];
  for (const record of records.slice(1)) {
    const cell = (c: Column) => (index.has(c) ? (record.fields[index.get(c)!] ?? '').trim() : '');
    const problems: Bilingual[] = [];
    const problem = (c: Column, ja: string, en: string) => problems.push({ ja: `${RESOURCE_CSV_COLUMNS[c]}: ${ja}`, en: `${RESOURCE_CSV_COLUMNS[c]}: ${en}` });
    const coded = (c: Column, labels: Parameters<typeof codeOf>[0]) =>
      list(cell(c)).map((v) => codeOf(labels, v) ?? (problem(c, `「${v}」は一覧にありません`, `"${v}" is not in the list`), v));
    const number = (c: Column) => (cell(c) === '' ? null : /^\d+$/.test(cell(c)) ? Number(cell(c)) : (problem(c, '0以上の整数で指定してください', 'give a whole number of 0 or more'), null));
    const optional = (c: Column) => cell(c) || null;
    const ownerDepartmentId = cell('owner') ? departmentIdOf(cell('owner')) : undefined;
    if (cell('owner') && !ownerDepartmentId) problem('owner', `「${cell('owner')}」という課はありません`, `no department "${cell('owner')}"`);
    const kind = codeOf(RESOURCE_KIND_LABELS, cell('kind'));
    if (cell('kind') && !kind) problem('kind', `「${cell('kind')}」は種別の一覧にありません`, `"${cell('kind')}" is not a kind`);
    const candidate = {
      name: cell('name'),
      kind: kind ?? cell('kind'),
      ownerDepartmentId: ownerDepartmentId ?? '',
      districtCode: cell('districtCode'),
      address: optional('address'),
      days: coded('days', WEEKDAY_LABELS),
      hours: optional('hours'),
      capacity: number('capacity'),
      freePlaces: number('freePlaces'),
      costs: optional('costs'),
      accessibility: optional('accessibility'),
      languages: list(cell('languages')),
      runBy: optional('runBy'),
      contact: optional('contact'),
      tags: coded('tags', RESOURCE_TAG_LABELS),
      conditions: optional('conditions'),
      ...(cell('asOf') ? { asOf: cell('asOf') } : {}),
    };
    const checked = createResourceSchema.safeParse(candidate);
    if (!checked.success && !problems.length) {
      for (const issue of checked.error.issues) {
        const column = (issue.path[0] === 'ownerDepartmentId' ? 'owner' : issue.path[0]) as Column;
        const label = RESOURCE_CSV_COLUMNS[column] ?? String(issue.path[0]);
        problems.push({ ja: `${label}: ${cell(column) === '' ? '入力してください' : '値が正しくありません'}`, en: `${label}: ${cell(column) === '' ? 'required' : 'not a valid value'}` });
      }
    }
    if (problems.length || !checked.success) rejected.push({ line: record.line, name: cell('name') || null, problems });
    else rows.push({ line: record.line, input: checked.data });
  }
  return { encoding, rows, rejected };
}
