import { fieldError } from './app-error';

/** The version a command expects, from the body or an `If-Match` header (`"3"` or `3`). */
export function expectedVersion(fromBody: number | undefined, ifMatch: string | undefined): number {
  if (fromBody !== undefined) return fromBody;
  const parsed = ifMatch ? Number(ifMatch.replace(/^W\//, '').replaceAll('"', '')) : NaN;
  if (Number.isInteger(parsed) && parsed > 0) return parsed;
  throw fieldError('body.version', 'required', {
    ja: '読み込んだ版（version）を本文か If-Match ヘッダーで指定してください。',
    en: 'Send the version you read, in the body or an If-Match header.',
  });
}
