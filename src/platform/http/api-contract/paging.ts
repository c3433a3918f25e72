import { z } from 'zod';
import { fieldError } from '../app-error';
import { schemaId } from './openapi-schema';

/** Every list answers at most `max` items a page, `default` when the client does not say. */
export const PAGE_LIMIT = { default: 50, max: 200 } as const;

/**
 * The query parameters of a paged list; spread them into the list's query object:
 * `z.strictObject({ state: …, ...pageParams })`.
 */
export const pageParams = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT.max)
    .default(PAGE_LIMIT.default)
    .describe(`Items per page: default ${PAGE_LIMIT.default}, at most ${PAGE_LIMIT.max}`),
  cursor: z.string().min(1).max(1000).optional().describe('Where to go on: the `next` of the page before (opaque); absent for the first page'),
};
export type PageParams = { limit: number; cursor?: string };

const pages = new Map<z.ZodType, z.ZodType>();

/** A page of a list: `{ items, next }`, `next` null on the last page. Named `<item id>Page` in the document. */
export function pageOf<T extends z.ZodType>(item: T): z.ZodObject<{ items: z.ZodArray<T>; next: z.ZodNullable<z.ZodString> }> {
  const id = schemaId(item);
  if (!id) throw new Error('pageOf(item): give the item schema a name with .meta({ id })');
  if (!pages.has(item)) {
    pages.set(
      item,
      z
        .object({ items: z.array(item), next: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page') })
        .meta({ id: `${id}Page`, description: `A page of ${id}, in a stable order: rows added while paging never repeat or displace one` }),
    );
  }
  return pages.get(item) as never;
}

type KeyValue = string | number;

const badCursor = () =>
  fieldError('query.cursor', 'invalid_cursor', {
    ja: 'cursor が正しくありません。前のページの next をそのまま指定してください。',
    en: 'The cursor is not valid: pass the previous page’s `next` unchanged.',
  });

/**
 * `keyset.decode(cursor)` with the key's values checked against their columns' types
 * (`z.tuple([z.iso.datetime(), z.uuid()])`): a forged key is the same 400, never a SQL error.
 */
export function decodeCheckedKey<Key extends z.ZodType<KeyValue[]>>(keyset: Pick<Keyset<object>, 'decode'>, cursor: string | undefined, key: Key): z.infer<Key> | undefined {
  const decoded = keyset.decode(cursor);
  if (decoded === undefined) return undefined;
  const checked = key.safeParse(decoded);
  if (!checked.success) throw badCursor();
  return checked.data;
}

/**
 * Keyset (seek) paging over a total order of columns ending in a unique one (the id): a page is the
 * `limit` rows after the last one seen, so rows inserted meanwhile are neither repeated nor make a
 * row be skipped, and deep pages cost what the first does. Fetch `limit + 1` rows to know whether
 * there is a next page:
 *
 * ```ts
 * const REFERRAL_ORDER = new Keyset<Referral>('referrals', { dueOn: 'due_on', createdAt: 'created_at', id: 'id' });
 * const after = REFERRAL_ORDER.decode(query.cursor);                 // 400 for a foreign or forged cursor
 * em.find(ReferralSchema, { $and: [filters, REFERRAL_ORDER.after(after)] }, { orderBy: REFERRAL_ORDER.orderBy, limit: query.limit + 1 })
 * // or in SQL: `where ${REFERRAL_ORDER.sql(after).text} order by ${REFERRAL_ORDER.sqlOrder} limit ?`
 * return REFERRAL_ORDER.page(rows, query.limit, (r) => view(r));
 * ```
 * Timestamps in the key must round-trip (set by the application, millisecond precision).
 */
export class Keyset<Row extends object> {
  private readonly properties: (keyof Row & string)[];
  private readonly direction: 'asc' | 'desc';

  /**
   * `columns`: property → SQL column, in sort order, the last unique; all ascending, or all
   * descending with `{ desc: true }` (newest first: rows added meanwhile land before the first page).
   */
  constructor(
    private readonly list: string,
    private readonly columns: Partial<Record<keyof Row & string, string>>,
    options: { desc?: boolean } = {},
  ) {
    this.properties = Object.keys(columns) as (keyof Row & string)[];
    this.direction = options.desc ? 'desc' : 'asc';
  }

  get orderBy(): Record<string, 'asc' | 'desc'> {
    return Object.fromEntries(this.properties.map((p) => [p, this.direction]));
  }

  get sqlOrder(): string {
    return this.properties.map((p) => `${this.columns[p]} ${this.direction}`).join(', ');
  }

  private get beyond(): '>' | '<' {
    return this.direction === 'asc' ? '>' : '<';
  }

  /** The key of the last row seen, from a cursor this list issued; undefined for the first page. */
  decode(cursor: string | undefined): KeyValue[] | undefined {
    if (cursor === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw badCursor();
    }
    const { l, k } = (parsed ?? {}) as { l?: unknown; k?: unknown };
    const valid = l === this.list && Array.isArray(k) && k.length === this.properties.length && k.every((v) => typeof v === 'string' || typeof v === 'number');
    if (!valid) throw badCursor();
    return k as KeyValue[];
  }

  encode(row: Row): string {
    const key = this.properties.map((p) => {
      const value = row[p] as unknown;
      return value instanceof Date ? value.toISOString() : (value as KeyValue);
    });
    return Buffer.from(JSON.stringify({ l: this.list, k: key }), 'utf8').toString('base64url');
  }

  /**
   * A MikroORM filter for the rows after `key`: a ≥ x and ((a > x) or (a = x and b > y) or …) (`≤`, `<`
   * descending); `{}` for the first page. The first bound says nothing the disjunction does not, but
   * only it lets an index on the order start at the key: without it a deep page walked every row before.
   */
  after(key: KeyValue[] | undefined): Record<string, unknown> {
    if (!key) return {};
    const [first] = this.properties;
    return {
      [first]: { [this.beyond === '>' ? '$gte' : '$lte']: key[0] },
      $or: this.properties.map((property, i) => ({
        ...Object.fromEntries(this.properties.slice(0, i).map((p, j) => [p, key[j]])),
        [property]: { [this.beyond === '>' ? '$gt' : '$lt']: key[i] },
      })),
    };
  }

  /** The same as a row comparison for raw SQL: `(due_on, created_at, id) > (?, ?, ?)`; `true` for the first page. */
  sql(key: KeyValue[] | undefined): { text: string; params: KeyValue[] } {
    if (!key) return { text: 'true', params: [] };
    const columns = this.properties.map((p) => this.columns[p]);
    return { text: `(${columns.join(', ')}) ${this.beyond} (${columns.map(() => '?').join(', ')})`, params: key };
  }

  /** The page from `limit + 1` rows fetched in this order. */
  page<Item>(rows: Row[], limit: number, toItem: (row: Row) => Item): { items: Item[]; next: string | null } {
    const shown = rows.slice(0, limit);
    return { items: shown.map(toItem), next: rows.length > limit ? this.encode(shown[shown.length - 1]) : null };
  }
}
