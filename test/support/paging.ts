/** A paged list as a test walks it: one page after `cursor` (undefined: the first page). */
export interface PagedList<Item> {
  page(cursor: string | undefined): Promise<{ items: Item[]; next: string | null } | undefined>;
  id(item: Item): string;
  /** Adds a row the list shows; answers its id. */
  add(): Promise<string>;
  /** The `limit` the pages were asked for. */
  limit: number;
  /**
   * Whether rows added while paging sort after the cursor and so show up on a later page (lists in
   * creation order). Newest-first lists show them on the next walk only; they still must not repeat
   * or displace a row.
   */
  addedShowUp?: boolean;
}

/**
 * Keyset paging is stable under concurrent inserts: adds `rows` rows, walks the list to its end while
 * adding one more row after each page (up to `added`), and expects no page over the limit, no row
 * twice and none missed. Answers the ids in the order seen.
 */
export async function expectStablePaging<Item>(list: PagedList<Item>, rows = 5, added = 3): Promise<string[]> {
  const before: string[] = [];
  for (let i = 0; i < rows; i++) before.push(await list.add());
  const seen: string[] = [];
  const meanwhile: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await list.page(cursor);
    expect(page).toBeDefined();
    expect(page!.items.length).toBeLessThanOrEqual(list.limit);
    seen.push(...page!.items.map(list.id));
    cursor = page!.next ?? undefined;
    if (meanwhile.length < added) meanwhile.push(await list.add());
  } while (cursor);
  expect(seen.length).toBeGreaterThan(list.limit); // more than one page, or the check would be vacuous
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toEqual(expect.arrayContaining(list.addedShowUp === false ? before : [...before, ...meanwhile]));
  return seen;
}
