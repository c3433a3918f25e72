import { accountId, tenantId } from '../../seeds/demo-data';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const CITY = tenantId('tsunagi-city');
const TOWN = tenantId('tonari-town');

describe('tenant isolation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("hides the other tenant's staff from an administrator's list and by id", async () => {
    const admin = await t.token('admin');
    const list = await t.api('admin').GET('/api/v1/staff', { params: { query: { limit: 200 } } });
    const logins = list.data!.items.map((s) => s.login);
    expect(logins).toContain('choju-counselor');
    expect(logins).not.toContain('other-city-counselor');
    expect(list.data!.items.every((s) => s.tenantId === CITY)).toBe(true);

    await t.http().get(`/api/v1/staff/${accountId('other-city-counselor')}`).set(bearer(admin)).expect(404);
  });

  it("shows each tenant only its own departments", async () => {
    const res = await t.api('other-city-counselor').GET('/api/v1/departments');
    expect(res.data!.items.map((d) => d.code).sort()).toEqual(['choju', 'fukushi']);
  });

  describe('row-level security under the service role, in raw SQL', () => {
    const asService = async (tenant: string | null, statement: string, params: unknown[] = []) => {
      await t.sql('begin');
      try {
        await t.sql('set local role tsunagi_app');
        if (tenant) await t.sql(`select set_config('app.tenant_id', $1, true)`, [tenant]);
        return await t.sql(statement, params);
      } finally {
        await t.sql('rollback');
      }
    };

    it('returns only the current tenant rows, and none when no tenant is set', async () => {
      const cityRows = await asService(CITY, 'select distinct tenant_id from staff');
      expect(cityRows).toEqual([{ tenant_id: CITY }]);
      const townRows = await asService(TOWN, 'select login from staff order by login');
      expect(townRows.map((r) => r.login)).toEqual(['other-city-admin', 'other-city-counselor']);
      expect(await asService(null, 'select * from staff')).toEqual([]);
      expect(await asService(null, 'select * from audit_log')).toEqual([]);
    });

    it("refuses writing a row into another tenant", async () => {
      await expect(
        asService(CITY, `insert into staff (id, tenant_id, subject, login, display_name) values (gen_random_uuid(), $1, 'x', 'x', 'x')`, [TOWN]),
      ).rejects.toThrow(/row-level security/);
    });
  });
});
