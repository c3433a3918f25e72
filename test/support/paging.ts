/** A page as every paged list answers it (pageOf in src/platform/http/api-contract/paging.ts). */
export interface Page<Item> {
  items: Item[];
  next: string | null;
}

export interface StablePagingCheck<Item> {
  /** The page after `cursor` (the first page when undefined), asked with `limit`. */
  page: (cursor: string | undefined, limit: number) => Promise<Page<Item> | undefined>;
  /** What identifies a row (its id). */
  key: (item: Item) => string;
  /** Adds a row that sorts after every row there is (so a walk in progress must still reach it); returns its key. */
  insert: () => Promise<string>;
  /** Items per page: small, so the walk crosses several pages. */
  limit?: number;
  /** Rows added while walking, one after each page until this many. */
  inserts?: number;
}

/**
 * The keyset paging promise, for any list: walking page by page while rows are added between the pages
 * sees every row that was there and every row added after the cursor, none twice, no page over its
 * limit. Needs at least `limit + 1` rows already there, so the walk has a second page. Returns the keys
 * in the order walked.
 */
export async function expectStablePaging<Item>({ page, key, insert, limit = 2, inserts = 3 }: StablePagingCheck<Item>): Promise<string[]> {
  const walk = async (between?: () => Promise<void>) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const answer = await page(cursor, limit);
      expect(answer).toBeDefined();
      expect(answer!.items.length).toBeLessThanOrEqual(limit);
      seen.push(...answer!.items.map(key));
      cursor = answer!.next ?? undefined;
      if (cursor) await between?.();
    } while (cursor);
    return seen;
  };
  const before = await walk();
  expect(before.length).toBeGreaterThan(limit);
  const added: string[] = [];
  const seen = await walk(async () => {
    if (added.length < inserts) added.push(await insert());
  });
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toEqual(expect.arrayContaining([...before, ...added]));
  expect(added.length).toBeGreaterThan(0);
  return seen;
}
