/** One page of a paged list as the API answers it (`pageOf`). */
export interface Page<Item> {
  items: Item[];
  next: string | null;
}
/** The same, under the name some suites import. */
export type PageOf<Item> = Page<Item>;

export interface StablePagingCheck<Item> {
  /** Fetches the page after `cursor` (the first page when undefined), at `limit` items at most. */
  page: (cursor: string | undefined, limit: number) => Promise<Page<Item> | undefined>;
  /** The page size `page` asks for: no page may hold more; small (default 2), so the walk crosses several pages. */
  limit?: number;
  /** What identifies an item (default: its `id`). */
  key?: (item: Item) => string;
  /**
   * Adds a row while the list is walked; answers its key when it sorts after the rows there were (a
   * later deadline, a later creation time…), so the walk must still reach it, or nothing when it may
   * sort anywhere (then only the rows there were are required).
   */
  insert: () => Promise<string | undefined>;
  /** How many rows to add, one after each page (default 3). */
  inserts?: number;
  /** Set false when the added rows may sort anywhere although `insert` answers their keys. */
  addedSortLast?: boolean;
}

/**
 * Keyset paging holds under concurrent inserts: walks the list once to learn its rows, then again
 * adding a row after each page, and expects no page over its limit, no row twice, every row that was
 * there at the start met, and every added row that sorts last met too. Answers the keys of the second walk.
 */
export async function expectStablePaging<Item>({ page, limit = 2, insert, key = (item) => (item as { id: string }).id, inserts = 3, addedSortLast = true }: StablePagingCheck<Item>): Promise<string[]> {
  const walk = async (between: () => Promise<void>) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const answer = await page(cursor, limit);
      if (!answer) throw new Error('expectStablePaging: a page was not answered');
      expect(answer.items.length).toBeLessThanOrEqual(limit);
      seen.push(...answer.items.map(key));
      cursor = answer.next ?? undefined;
      // Rows are added only while the walk goes on: one added after the last page is never met.
      if (cursor) await between();
    } while (cursor);
    return seen;
  };
  const before = await walk(async () => {});
  expect(before.length).toBeGreaterThan(limit); // more than one page, or the check proves nothing
  const added: string[] = [];
  let tries = 0;
  const seen = await walk(async () => {
    if (tries++ >= inserts) return;
    const addedKey = await insert();
    if (addedKey !== undefined) added.push(addedKey);
  });
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toEqual(expect.arrayContaining(addedSortLast ? [...before, ...added] : before));
  return seen;
}
