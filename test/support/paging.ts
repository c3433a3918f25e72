/** A page of any list, as the typed client answers it. */
export interface PageOf<Item> {
  items: Item[];
  next: string | null;
}

export interface StablePagingCheck<Item> {
  /** Fetches the page after `cursor` (the first page when undefined), at `limit` items. */
  page: (cursor: string | undefined) => Promise<PageOf<Item> | undefined>;
  /** The page size `page` asks for: no page may hold more. */
  limit: number;
  /** Adds a row to the list while it is being walked; answers its key. */
  insert: () => Promise<string>;
  /** An item's key (default: its `id`). */
  key?: (item: Item) => string;
  /** How many rows to add, one after each page (default 3). */
  inserts?: number;
  /**
   * The added rows sort after every row there was (a later deadline, a later creation time…), so the
   * walk must reach them too. When they may sort anywhere, only the rows there were are required.
   */
  addedSortLast?: boolean;
}

/**
 * Keyset paging holds under concurrent inserts: walks the list once to learn its rows, then again
 * adding a row after each page, and expects no row twice, none of the rows there were missed, no page
 * over its limit (and, when they sort last, the added rows reached). Answers the keys of the second walk.
 */
export async function expectStablePaging<Item>({ page, limit, insert, key = (item) => (item as { id: string }).id, inserts = 3, addedSortLast = true }: StablePagingCheck<Item>): Promise<string[]> {
  const walk = async (between: () => Promise<void>) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const answer = await page(cursor);
      if (!answer) throw new Error('expectStablePaging: a page was not answered');
      expect(answer.items.length).toBeLessThanOrEqual(limit);
      seen.push(...answer.items.map(key));
      cursor = answer.next ?? undefined;
      await between();
    } while (cursor);
    return seen;
  };
  const before = await walk(async () => {});
  expect(before.length).toBeGreaterThan(limit); // more than one page, or the check proves nothing
  const added: string[] = [];
  const seen = await walk(async () => {
    if (added.length < inserts) added.push(await insert());
  });
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toEqual(expect.arrayContaining(addedSortLast ? [...before, ...added] : before));
  return seen;
}
