/** Every error a client can see, with its HTTP status and its message in Japanese and English. */
export const ERROR_CATALOG = {
  validation_failed: { status: 400, ja: '入力内容に誤りがあります。', en: 'The request is invalid.' },
  malformed_json: { status: 400, ja: 'リクエスト本文が正しいJSONではありません。', en: 'The request body is not valid JSON.' },
  payload_too_large: { status: 413, ja: 'リクエスト本文が大きすぎます。', en: 'The request body is too large.' },
  unsupported_media_type: {
    status: 415,
    ja: 'この操作はこの形式（Content-Type）の本文を受け付けません。',
    en: 'This route does not accept a body of this Content-Type.',
  },
  unauthenticated: {
    status: 401,
    ja: 'ログインが必要です。有効なトークンを指定してください。',
    en: 'Authentication required: send a valid bearer token.',
  },
  forbidden: { status: 403, ja: 'この操作を行う権限がありません。', en: 'You are not allowed to do this.' },
  not_found: { status: 404, ja: '対象が見つかりません。', en: 'Not found.' },
  route_not_found: { status: 404, ja: 'このURLの操作はありません。', en: 'There is no such route.' },
  version_conflict: {
    status: 409,
    ja: '他の人が先に更新しました。最新の内容を読み込んでからやり直してください。',
    en: 'Someone else changed this first: reload it and try again.',
  },
  already_exists: { status: 409, ja: '同じものが既に登録されています。', en: 'This already exists.' },
  transition_not_allowed: {
    status: 409,
    ja: '現在の状態ではこの操作はできません。',
    en: 'This action is not possible in the current state.',
  },
  guard_failed: { status: 422, ja: 'この操作の条件を満たしていません。', en: 'The conditions for this action are not met.' },
  idempotency_key_reused: {
    status: 422,
    ja: 'この Idempotency-Key は別の内容のリクエストで使われています。',
    en: 'This Idempotency-Key was used for a different request.',
  },
  request_in_progress: {
    status: 409,
    ja: '同じ Idempotency-Key のリクエストを処理中です。',
    en: 'A request with this Idempotency-Key is still being processed.',
  },
  rate_limited: {
    status: 429,
    ja: 'リクエストが多すぎます。しばらく待ってから再度お試しください。',
    en: 'Too many requests: wait a moment and try again.',
  },
  service_unavailable: {
    status: 503,
    ja: 'データベースに接続できません。しばらくしてから再度お試しください。',
    en: 'The database is unavailable: try again shortly.',
  },
  internal: { status: 500, ja: 'システムエラーが発生しました。', en: 'An internal error occurred.' },
} as const satisfies Record<string, { status: number; ja: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
export type Language = 'ja' | 'en';
export type Localized = Record<Language, string>;

export interface FieldError {
  /** Where the bad value was: `body.displayName`, `path.id`, `query.limit`. */
  field: string;
  code: string;
  message: Localized;
  /** For `unrecognized_keys`: the first few unknown keys. */
  keys?: string[];
}

/** A problem lists at most this many field errors, and says how many there were. */
export const MAX_FIELD_ERRORS = 20;

/** Cuts text an error repeats back from the request, so no answer grows with the input. */
export const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max)}…` : value);

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly extra: { detail?: Localized; errors?: FieldError[]; meta?: Record<string, unknown> } = {},
  ) {
    super(extra.detail?.en ?? ERROR_CATALOG[code].en);
  }

  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }
}

export const notFound = (what: Localized) => new AppError('not_found', { detail: what });

export const fieldError = (field: string, code: string, message: Localized) => new AppError('validation_failed', { errors: [{ field, code, message }] });

/** A stale expected version: the answer names the current one so the client can reload. */
export const versionConflict = (currentVersion: number) =>
  new AppError('version_conflict', {
    detail: {
      ja: `他の人が先に更新しました（現在の版: ${currentVersion}）。最新の内容を読み込んでからやり直してください。`,
      en: `Someone else changed this first (current version: ${currentVersion}): reload it and try again.`,
    },
    meta: { currentVersion },
  });
