import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import iconv from 'iconv-lite';

/**
 * The one CSV writer of every export: rows go out as they come (an async source streams through in
 * bounded memory), as Excel in a Japanese city hall reads them:
 * - UTF-8 with a BOM (Excel then opens Japanese correctly), or Shift_JIS (really CP932) for systems
 *   that want it;
 * - CRLF line ends, RFC 4180 quoting;
 * - times in Japan time as `YYYY-MM-DD HH:mm` (a Date cell), never UTC;
 * - cells that begin with `=`, `+`, `-`, `@`, tab or CR get a leading `'`, so a spreadsheet shows
 *   them as text instead of running them as a formula (CSV injection).
 */
export type CsvEncoding = 'utf-8-bom' | 'shift_jis';

export type CsvCell = string | number | boolean | Date | null | undefined | readonly (string | number)[];
export type CsvRows = Iterable<readonly CsvCell[]> | AsyncIterable<readonly CsvCell[]>;

export interface CsvOptions {
  encoding?: CsvEncoding;
}

const JAPAN_TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** What a spreadsheet would evaluate if a cell began with it. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Rows per chunk written: few enough to stay small, enough to keep writes few. */
const ROWS_PER_CHUNK = 500;

/** `2026-11-02 09:00`, Japan time. */
export function japanTime(at: Date): string {
  return JAPAN_TIME.format(at);
}

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? japanTime(value) : Array.isArray(value) ? value.join(' ') : String(value);
  // Numbers are data, not formulas: -3 stays a number Excel can add up.
  const safe = typeof value !== 'number' && FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (row: readonly CsvCell[]) => `${row.map(csvCell).join(',')}\r\n`;

/** The header and rows as a byte stream in the chosen encoding. */
export function csvStream(headers: readonly string[], rows: CsvRows, options: CsvOptions = {}): Readable {
  const encoding = options.encoding ?? 'utf-8-bom';
  const encode = (text: string) => (encoding === 'shift_jis' ? iconv.encode(text, 'Shift_JIS') : Buffer.from(text, 'utf8'));
  async function* lines() {
    yield encode(`${encoding === 'utf-8-bom' ? '\uFEFF' : ''}${csvLine(headers)}`);
    let chunk = '';
    let count = 0;
    for await (const row of rows) {
      chunk += csvLine(row);
      if (++count % ROWS_PER_CHUNK === 0) {
        yield encode(chunk);
        chunk = '';
      }
    }
    if (chunk) yield encode(chunk);
  }
  return Readable.from(lines());
}

/** A CSV answer for a controller (its `Content-Type` header names the charset), saved under `filename` (ASCII). */
export function csvFile(filename: string, headers: readonly string[], rows: CsvRows, options: CsvOptions = {}): StreamableFile {
  return new StreamableFile(csvStream(headers, rows, options), { disposition: `attachment; filename="${filename}"` });
}
