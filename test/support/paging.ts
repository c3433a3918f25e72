/** A page as every paged list answers it. */
export interface Page<Item> {
  items: Item[];
  next: string | null;
}

export interface StablePagingCheck<Item> {
  /** One page of the list, from `cursor` (undefined: the first page), at `limit` items a page. */
  page: (cursor: string | undefined) => Promise<Page<Item>>;
  /** Adds a row the list shows after those already there; answers its id. Called between pages. */
  insert: () => Promise<string>;
  /** The ids the list holds before paging starts (all must be seen). */
  before: string[];
  /** The page size the `page` function asks for: no page may be longer. */
  limit: number;
  /** How many rows to add while paging (default 3). */
  inserts?: number;
  idOf?: (item: Item) => string;
}

/**
 * Walks a keyset-paged list to its end while rows are added between the pages, and checks that no
 * row shows up twice and none is missed: every row there at the start and every row added (they
 * sort after the cursor) is seen exactly once. Answers the ids seen, in order.
 */
export async function expectStablePaging<Item>(check: StablePagingCheck<Item>): Promise<string[]> {
  const idOf = check.idOf ?? ((item: Item) => (item as { id: string }).id);
  const seen: string[] = [];
  const added: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await check.page(cursor);
    expect(page.items.length).toBeLessThanOrEqual(check.limit);
    seen.push(...page.items.map(idOf));
    cursor = page.next ?? undefined;
    // Only while there is a page to come: a row added after the last page is, rightly, not seen.
    if (cursor && added.length < (check.inserts ?? 3)) added.push(await check.insert());
  } while (cursor);
  expect(added.length).toBeGreaterThan(0);
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toEqual(expect.arrayContaining([...check.before, ...added]));
  return seen;
}
