import iconv from 'iconv-lite';
import { FORBIDDEN_CHARACTER, FORBIDDEN_CHARACTER_MESSAGE } from '../http/input';
import { vocabulary } from '../vocabulary/vocabulary';

/**
 * CSV files as municipal systems and Excel write them: bytes in (Shift_JIS or UTF-8, with or without
 * a BOM), records out. Shared by every import (避難行動要支援者 candidates, 参加支援 directory …).
 */

export type Bilingual = { ja: string; en: string };

/** The encoding a file was read in, as its import report names it. */
export const CSV_ENCODING_LABELS = vocabulary('csvEncoding', {
  'utf-8': { ja: 'UTF-8', en: 'UTF-8' },
  'utf-8-bom': { ja: 'UTF-8（BOM付き）', en: 'UTF-8 with BOM' },
  shift_jis: { ja: 'シフトJIS', en: 'Shift_JIS' },
});
export type CsvEncoding = (typeof CSV_ENCODING_LABELS.codes)[number];

/** A file that cannot be read at all; row-level problems never throw, they reject the row. */
export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';

  constructor(readonly problems: Bilingual[]) {
    super(problems.map((p) => p.en).join('; '));
  }
}
// ---------------------------------------------------------------------------------------------
// Decoding

const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true });

/**
 * Municipal systems export Shift_JIS (really CP932, which iconv-lite's Shift_JIS table covers, so
 * 髙 and ① survive) or UTF-8 with or without a BOM. Japanese Shift_JIS text is almost never valid
 * UTF-8, so "valid UTF-8, else Shift_JIS" is a safe guess.
 */
export function decodeCsv(bytes: Buffer): { text: string; encoding: CsvEncoding } {
  const decoded = decodeBytes(bytes);
  const forbidden = FORBIDDEN_CHARACTER.exec(decoded.text);
  if (forbidden) {
    // Text no database column can hold (a UTF-16 file, a binary one): refuse it whole, naming where.
    const line = decoded.text.slice(0, forbidden.index).split(/\r\n|\r|\n/).length;
    throw new CsvFormatError([{ ja: `${line}行目: ${FORBIDDEN_CHARACTER_MESSAGE.ja}`, en: `line ${line}: ${FORBIDDEN_CHARACTER_MESSAGE.en}` }]);
  }
  return decoded;
}

function decodeBytes(bytes: Buffer): { text: string; encoding: CsvEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    try {
      return { text: UTF8_FATAL.decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
    } catch {
      // Decoding on with U+FFFD would import garbled names without anyone noticing.
      throw new CsvFormatError([
        { ja: 'UTF-8（BOM付き）のファイルに不正な文字コードが含まれています', en: 'the file starts with a UTF-8 BOM but is not valid UTF-8' },
      ]);
    }
  }
  try {
    return { text: UTF8_FATAL.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'Shift_JIS'), encoding: 'shift_jis' };
  }
}

// ---------------------------------------------------------------------------------------------
// RFC 4180 reader

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  fields: string[];
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Splits text into records: quoted fields may hold commas, doubled quotes and line breaks (CRLF,
 * LF or a lone CR; inside quotes they become LF). Blank lines come back as a record with one empty
 * field. Lenient where Excel exports are sloppy: a quote after leading spaces still opens a quoted
 * field, and a stray quote inside an unquoted field is kept as text. Only an unterminated quote
 * throws, because everything after it would be swallowed into one field.
 */
export function readCsv(text: string): CsvRecord[] {
  return [...csvRecords(text)];
}

/**
 * `readCsv` one record at a time, as the caller pulls them: a file of 10⁵ rows is read without
 * holding all its records at once. The unterminated-quote error comes when the reader reaches it.
 */
export function* csvRecords(text: string): Generator<CsvRecord, void, undefined> {
  const n = text.length;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true; // nothing but whitespace read in this field yet
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let i = 0;

  const endRecord = (): CsvRecord => {
    fields.push(field);
    const record = { line: recordLine, fields };
    fields = [];
    field = '';
    fieldStart = true;
    return record;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) {
          field += '"';
          i += 2;
        } else {
          quoted = false;
          i++;
        }
      } else if (c === CR || c === LF) {
        if (c === CR && text.charCodeAt(i + 1) === LF) i++;
        field += '\n';
        line++;
        i++;
      } else {
        // Copy the run up to the next quote or line break in one slice: per-character
        // concatenation makes thousands of rows noticeably slower.
        const j = scan(text, i + 1, QUOTE, QUOTE);
        field += text.slice(i, j);
        i = j;
      }
      continue;
    }
    if (c === COMMA) {
      fields.push(field);
      field = '';
      fieldStart = true;
      i++;
    } else if (c === CR || c === LF) {
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      yield endRecord();
      line++;
      recordLine = line;
      i++;
    } else if (c === QUOTE && fieldStart) {
      quoted = true;
      quoteLine = line;
      field = ''; // drop the spaces before the opening quote
      fieldStart = false;
      i++;
    } else {
      const j = scan(text, i + 1, COMMA, QUOTE);
      const run = text.slice(i, j);
      field += run;
      if (fieldStart && run.trim() !== '') fieldStart = false;
      i = j;
    }
  }
  if (quoted) {
    throw new CsvFormatError([
      {
        ja: `${quoteLine}行目の引用符（"）が閉じられていません`,
        en: `the quote (") opened on line ${quoteLine} is never closed`,
      },
    ]);
  }
  // A final line without a line break is still a record; a trailing line break adds none.
  if (fields.length > 0 || field.length > 0 || !fieldStart) yield endRecord();
}

/** Index of the next CR, LF, a or b at or after from (n when none). */
function scan(text: string, from: number, a: number, b: number): number {
  let j = from;
  for (; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === CR || d === LF || d === a || d === b) break;
  }
  return j;
}
