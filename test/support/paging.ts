/** One page of a paged list as the API answers it (`pageOf`). */
export interface Page<Item> {
  items: Item[];
  next: string | null;
}

export interface StablePagingCheck<Item> {
  /** Fetches the page after `cursor` (first page without), with `limit` items at most; asserts its status itself. */
  page: (cursor: string | undefined) => Promise<Page<Item>>;
  limit: number;
  /** What identifies an item (an id, a sequence number). */
  key: (item: Item) => string;
  /** Adds a row while paging; answers its key when it sorts after the rows already seen (so paging must still meet it), else nothing. */
  insert: () => Promise<string | undefined>;
  /** How many rows to add, one after each page until then. */
  inserts?: number;
}

/**
 * Walks a paged list to its end while rows are added between the pages, and checks what keyset
 * paging promises: no page over the limit, no row twice, every row that was there at the start met,
 * and every added row that sorts after the cursor met too. Answers the keys in the order met.
 */
export async function expectStablePaging<Item>(check: StablePagingCheck<Item>): Promise<string[]> {
  const { page, limit, key, insert, inserts = 3 } = check;
  const existing = await walk(page, key);
  const seen: string[] = [];
  const expectedAdded: string[] = [];
  let added = 0;
  let cursor: string | undefined;
  do {
    const current = await page(cursor);
    expect(current.items.length).toBeLessThanOrEqual(limit);
    seen.push(...current.items.map(key));
    cursor = current.next ?? undefined;
    if (added++ < inserts) {
      const addedKey = await insert();
      if (addedKey !== undefined) expectedAdded.push(addedKey);
    }
  } while (cursor);
  expect(seen.length).toBeGreaterThan(limit); // more than one page, or the check proves nothing
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toEqual(expect.arrayContaining([...existing, ...expectedAdded]));
  return seen;
}

async function walk<Item>(page: (cursor: string | undefined) => Promise<Page<Item>>, key: (item: Item) => string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const current = await page(cursor);
    keys.push(...current.items.map(key));
    cursor = current.next ?? undefined;
  } while (cursor);
  return keys;
}
