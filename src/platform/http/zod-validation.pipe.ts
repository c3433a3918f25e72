import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { AppError, clip, MAX_FIELD_ERRORS, type FieldError } from './app-error';
import { FORBIDDEN_CHARACTER, FORBIDDEN_CHARACTER_MESSAGE } from './input';

const locales = { ja: z.locales.ja().localeError, en: z.locales.en().localeError };
const FIELD_PREFIX: Record<ArgumentMetadata['type'], string> = { body: 'body', param: 'path', query: 'query', custom: 'input' };
/** Unknown keys are reported once per object, naming at most this many, each cut to KEY_CHARS. */
const KEYS_LISTED = 10;
const KEY_CHARS = 40;

export { bilingual } from './input';

function localize(issue: z.core.$ZodIssue): FieldError['message'] {
  if (issue.code === 'custom' && typeof issue.params?.ja === 'string') return { ja: issue.params.ja, en: issue.params.en };
  const text = (lang: 'ja' | 'en') => {
    const result = locales[lang](issue as never);
    return typeof result === 'string' ? result : (result?.message ?? issue.message);
  };
  return { ja: text('ja'), en: text('en') };
}


/** One error for all the unknown keys of an object: its size does not grow with their number. */
function unknownKeys(field: string, keys: string[]): FieldError {
  const listed = keys.slice(0, KEYS_LISTED).map((key) => clip(key, KEY_CHARS));
  const more = keys.length - listed.length;
  const names = listed.map((key) => JSON.stringify(key)).join(', ');
  return {
    field,
    code: 'unrecognized_keys',
    message: { ja: `不明な項目があります: ${names}${more ? ` ほか${more}件` : ''}`, en: `Unknown keys: ${names}${more ? ` and ${more} more` : ''}` },
    keys: listed,
  };
}

/** Turns zod issues into field errors that name where the bad value was, in both languages. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string): FieldError[] {
  return issues.map((issue): FieldError => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') return unknownKeys(field, issue.keys);
    return { field, code: issue.code, message: localize(issue) };
  });
}

const unsafe = (text: string) => FORBIDDEN_CHARACTER.test(text);

/** Strings with a forbidden character anywhere in the input, values and keys; walked without recursion, so any depth is safe. */
export function unsafeTextErrors(input: unknown, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; key: string; parent: number }[] = [{ value: input, key: prefix, parent: -1 }];
  const visited: { key: string; parent: number }[] = [];
  // Naming a field costs its depth: past the ones a problem shows, name only the request part.
  const pathOf = (index: number, last: string) => {
    if (errors.length >= MAX_FIELD_ERRORS) return prefix;
    const parts = [last];
    for (let i = index; i >= 0; i = visited[i].parent) parts.unshift(visited[i].key);
    return parts.filter(Boolean).join('.');
  };
  while (pending.length > 0) {
    const { value, key, parent } = pending.pop()!;
    if (typeof value === 'string') {
      if (unsafe(value)) errors.push({ field: pathOf(parent, key), code: 'invalid_characters', message: FORBIDDEN_CHARACTER_MESSAGE });
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      const index = visited.push({ key, parent }) - 1;
      for (const [childKey, child] of Object.entries(value)) {
        if (unsafe(childKey)) errors.push({ field: pathOf(index, '(key)'), code: 'invalid_characters', message: FORBIDDEN_CHARACTER_MESSAGE });
        pending.push({ value: child, key: childKey, parent: index });
      }
    }
  }
  return errors;
}

/** Validates one request part against a schema: strict, typed, and nothing reaches a handler unchecked. */
@Injectable()
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(readonly schema: T) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.infer<T> {
    const prefix = [FIELD_PREFIX[metadata.type], metadata.type === 'body' ? '' : metadata.data].filter(Boolean).join('.');
    return parseOrRefuse(this.schema, value, prefix);
  }
}

/** The value as the schema parses it, or 400 `validation_failed` naming each bad field under `prefix` (`body`, `path.id`, `header.if-match`). */
export function parseOrRefuse<T extends z.ZodType>(schema: T, value: unknown, prefix: string): z.infer<T> {
  const unsafeText = unsafeTextErrors(value, prefix);
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success && unsafeText.length === 0) return parsed.data;
  throw new AppError('validation_failed', { errors: [...unsafeText, ...(parsed.success ? [] : toFieldErrors(parsed.error.issues, prefix))] });
}

export const validate = <T extends z.ZodType>(schema: T) => new ZodValidationPipe(schema);
export const UuidParam = validate(z.uuid());
