import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { AppError, type FieldError } from './app-error';

const locales = { ja: z.locales.ja().localeError, en: z.locales.en().localeError };
const FIELD_PREFIX: Record<ArgumentMetadata['type'], string> = { body: 'body', param: 'path', query: 'query', custom: 'input' };

/** For a refinement's own message in both languages: `.refine(check, bilingual({ ja, en }))`. */
export const bilingual = (message: { ja: string; en: string }, path?: string[]) => ({ params: message, path, error: message.en });

function localize(issue: z.core.$ZodIssue): FieldError['message'] {
  if (issue.code === 'custom' && typeof issue.params?.ja === 'string') return { ja: issue.params.ja, en: issue.params.en };
  const text = (lang: 'ja' | 'en') => {
    const result = locales[lang](issue as never);
    return typeof result === 'string' ? result : (result?.message ?? issue.message);
  };
  return { ja: text('ja'), en: text('en') };
}

/** Turns zod issues into field errors that name where the bad value was, in both languages. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const message = localize(issue);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${base}.${key}`, code: issue.code, message }));
    }
    return [{ field: base, code: issue.code, message }];
  });
}

/** Validates one request part against a schema: strict, typed, and nothing reaches a handler unchecked. */
@Injectable()
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.infer<T> {
    const parsed = this.schema.safeParse(value, { reportInput: true });
    if (parsed.success) return parsed.data;
    const prefix = [FIELD_PREFIX[metadata.type], metadata.type === 'body' ? '' : metadata.data].filter(Boolean).join('.');
    throw new AppError('validation_failed', { errors: toFieldErrors(parsed.error.issues, prefix) });
  }
}

export const validate = <T extends z.ZodType>(schema: T) => new ZodValidationPipe(schema);
export const UuidParam = validate(z.uuid());
