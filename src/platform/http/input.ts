import { z } from 'zod';

/**
 * Building blocks for request schemas. Every text and date field is made from these, so what a
 * field may hold is decided here once.
 */

/**
 * Characters no text may hold, wherever it comes from (JSON through the validation pipe, CSV files
 * through their reader): PostgreSQL refuses NUL, and a lone surrogate is not text.
 */
export const FORBIDDEN_CHARACTER = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const FORBIDDEN_CHARACTER_MESSAGE = {
  ja: '使用できない文字（NUL 文字または不正なサロゲート）が含まれています。',
  en: 'Contains a character that is not allowed (NUL or a lone surrogate).',
};

/** For a refinement's own message in both languages: `.refine(check, bilingual({ ja, en }))`. */
export const bilingual = (message: { ja: string; en: string }, path?: string[]) => ({ params: message, path, error: message.en });

/** Trimmed, not empty, at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1).max(max);

/** Dates this service can mean: a person born in 1900 up to a deadline in 2199 (no year 0000). */
const YEARS = { min: 1900, max: 2199 } as const;
/** Only judges values that start with a year: a malformed one is reported by the format check alone. */
const inRange = (value: string) => {
  const year = /^\d{4}-/.test(value) ? Number(value.slice(0, 4)) : YEARS.min;
  return year >= YEARS.min && year <= YEARS.max;
};
const rangeIssue = bilingual({ ja: `${YEARS.min}年から${YEARS.max}年までの日付を指定してください。`, en: `Give a date between ${YEARS.min} and ${YEARS.max}.` });

/** `YYYY-MM-DD`, a real calendar day (zod refuses 02-30) within YEARS. */
export const isoDate = z.iso.date().refine(inRange, rangeIssue);

/** An instant with its offset, `2026-11-27T09:00:00+09:00`, within YEARS. */
export const isoDateTime = z.iso.datetime({ offset: true }).refine(inRange, rangeIssue);

/** `YYYY-MM` within YEARS. */
export const isoMonth = z
  .string()
  .refine((v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v), bilingual({ ja: '年月は YYYY-MM の形で指定してください。', en: 'Give a month as YYYY-MM.' }))
  .refine(inRange, rangeIssue);

/** A yes/no query parameter, spelled `true` or `false` (absent: undefined). */
export const queryFlag = (description: string) =>
  z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe(description);
