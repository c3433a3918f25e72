import { accountId, tenantId } from '../../seeds/demo-data';
import { expectStablePaging } from '../support/paging';
import { startTestApp, type TestApp } from '../support/test-app';

/** The register's lists are paged by keyset: rows added while someone pages are neither repeated nor make one be missed. */
describe('避難行動要支援者: every list is paged and stable while rows are added', () => {
  let t: TestApp;
  let added = 0;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const keeper = () => t.api('fukushi-counselor');
  /** A person registered (with consent) in 地区C, which sorts after the others; the new entry's ids. */
  const registerInC = async () => {
    const n = ++added;
    const entry = await keeper().POST('/api/v1/evacuation-support/entries', {
      body: { source: 'application', person: { familyName: '頁', givenName: `${n}`, address: `南町${n}`, birthDate: '1940-01-01' }, districtCode: 'C', facts: { careLevel: '要介護5', intractableDisease: false, livingAlone: false } },
    });
    expect(entry.response.status).toBe(201);
    const registered = await keeper().POST('/api/v1/evacuation-support/entries/{id}/actions/{action}', {
      params: { path: { id: entry.data!.id, action: 'register' } },
      body: { version: entry.data!.version, provision: 'consent' },
    });
    expect(registered.response.status).toBe(200);
    const [{ person_id: personId }] = await t.sql<{ person_id: string }>(`select person_id from register_entries where id = $1`, [entry.data!.id]);
    return { entryId: entry.data!.id, personId };
  };

  it('pages the register’s entries, filtered by 地区, state and eligibility', async () => {
    for (let i = 0; i < 3; i++) await registerInC();
    const page = (cursor: string | undefined, limit: number) =>
      keeper()
        .GET('/api/v1/evacuation-support/entries', { params: { query: { districtCode: 'C', state: 'registered', eligible: 'true', limit, cursor } } })
        .then((r) => r.data);
    const seen = await expectStablePaging({ page, key: (e) => e.id, insert: async () => (await registerInC()).entryId });
    const [{ n }] = await t.sql<{ n: number }>(`select count(*)::int n from register_entries where district_code = 'C' and state = 'registered' and eligible`);
    expect(seen).toHaveLength(n);
    expect((await page(undefined, 200))!.items.every((e) => e.districtCode === 'C' && e.state === 'registered' && e.eligible)).toBe(true);
    expect((await keeper().GET('/api/v1/evacuation-support/entries', { params: { query: { districtCode: 'C', eligible: 'false' } } })).data).toEqual({ items: [], next: null });
  });

  it('refuses a cursor of another list', async () => {
    const roster = await keeper().GET('/api/v1/evacuation-support/roster', { params: { query: { district: 'C', limit: 1 } } });
    const foreign = await keeper().GET('/api/v1/evacuation-support/entries', { params: { query: { cursor: roster.data!.next! } } });
    expect(foreign.response.status).toBe(400);
    expect(foreign.error!.errors![0].field).toBe('query.cursor');
  });

  it.each(['/api/v1/evacuation-support/roster', '/api/v1/evacuation-support/plans'] as const)('pages %s, each page a provision of the people on it', async (path) => {
    const page = (cursor: string | undefined, limit: number) => keeper().GET(path, { params: { query: { district: 'C', limit, cursor } } }).then((r) => r.data);
    await expectStablePaging({ page, key: (r) => r.personId, insert: async () => (await registerInC()).personId });
  });

  it('pages the open disasters', async () => {
    const declare = async () => {
      const declared = await t.api('anshin-counselor').POST('/api/v1/evacuation-support/disasters', { body: { kind: '大雨', title: `大雨警報${++added}`, districtCodes: ['C'] } });
      expect(declared.response.status).toBe(201);
      return declared.data!.id;
    };
    for (let i = 0; i < 3; i++) await declare();
    const page = (cursor: string | undefined, limit: number) => t.api('minsei-a').GET('/api/v1/evacuation-support/disasters', { params: { query: { limit, cursor } } }).then((r) => r.data);
    await expectStablePaging({ page, key: (d) => d.id, insert: declare });
  });

  it('pages a supporter’s return tasks', async () => {
    const { entryId, personId } = await registerInC();
    // Written as the service writes it: the time set in the application (ms), each later than the last.
    const task = async () => {
      const [row] = await t.sql<{ id: string }>(
        `insert into return_tasks (id, tenant_id, supporter_id, entry_id, person_id, reason, state, created_at) values (gen_random_uuid(), $1, $2, $3, $4, 'death', 'open', $5) returning id`,
        [tenantId('tsunagi-city'), accountId('minsei-a'), entryId, personId, new Date(Date.now() + 1000 * ++added)],
      );
      return row.id;
    };
    for (let i = 0; i < 3; i++) await task();
    const page = (cursor: string | undefined, limit: number) => t.api('minsei-a').GET('/api/v1/evacuation-support/return-tasks', { params: { query: { limit, cursor } } }).then((r) => r.data);
    await expectStablePaging({ page, key: (r) => r.id, insert: task });
    expect((await t.api('minsei-b').GET('/api/v1/evacuation-support/return-tasks')).data).toEqual({ items: [], next: null });
  });
});
