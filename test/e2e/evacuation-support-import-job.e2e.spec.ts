import iconv from 'iconv-lite';
import { Db } from '../../src/platform/database/db';
import { EnterCandidates } from '../../src/modules/evacuation-support/commands/import-candidates/enter-candidates';
import { ImportRunner } from '../../src/modules/evacuation-support/import-runner';
import { accountId, departmentId, tenantId } from '../../seeds/demo-data';
import { ApiClient } from '../support/api-client';
import { importOutcome } from '../support/import-job';
import { startTestApp, type TestApp } from '../support/test-app';
import { sealAuditLog } from '../support/audit-tampering';

const HEADER = '宛名番号,氏名,生年月日,住所,地区,要介護度';
const csv = (...rows: string[]) => Buffer.from([HEADER, ...rows].join('\r\n')) as unknown as object;
const CITY = tenantId('tsunagi-city');

/** Confirming a candidate import starts a background job: its progress, its failure, its restart. */
describe('避難行動要支援者: the candidate import as a background job', () => {
  let t: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
  });
  afterAll(() => t.close());

  const fukushi = () => api.as('fukushi-counselor');
  const upload = async (...rows: string[]) => {
    const res = await fukushi().post('/api/v1/evacuation-support/imports', csv(...rows), { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const confirm = (id: string) => fukushi().post(`/api/v1/evacuation-support/imports/${id}/actions/confirm`, {});
  const outcome = (id: string) => importOutcome(() => fukushi().get(`/api/v1/evacuation-support/imports/${id}`));
  const listed = async (...numbers: string[]) =>
    (await t.sql<{ n: number }>(`select count(*)::int n from register_entries where resident_number = any($1)`, [numbers]))[0].n;

  it('shows a failed job with its reason, enters nothing of it, and imports on a second confirm', async () => {
    const id = await upload('7101,失敗 一,1940-01-01,つなぎ市本町1-1,A,要介護4', '7102,失敗 二,1941-01-01,つなぎ市本町1-2,A,要介護4');
    // A row the database refuses, after the upload's checks (as a disk full or a lost connection would fail it).
    await t.sql(`update register_imports set rows = jsonb_set(rows, '{1,birthDate}', '"not a date"') where id = $1`, [id]);
    expect((await confirm(id)).status).toBe(202);
    const failed = await outcome(id);
    expect(failed).toMatchObject({ state: 'failed', imported: 0, failure: { ja: expect.any(String), en: expect.any(String) } });
    expect(await listed('7101', '7102')).toBe(0);
    expect((await t.sql(`select count(*)::int n from persons where resident_number in ('7101', '7102')`))[0]).toEqual({ n: 0 });

    await t.sql(`update register_imports set rows = jsonb_set(rows, '{1,birthDate}', '"1941-01-01"') where id = $1`, [id]);
    expect((await confirm(id)).status).toBe(202);
    expect(await outcome(id)).toMatchObject({ state: 'imported', imported: 2, failure: null, progress: { done: 2, total: 2 } });
    expect(await listed('7101', '7102')).toBe(2);
  });

  it('refuses to cancel an import once confirmed', async () => {
    const id = await upload('7201,取消 一,1940-01-01,つなぎ市本町2-1,A,要介護4');
    expect((await confirm(id)).status).toBe(202);
    await outcome(id);
    expect((await fukushi().post(`/api/v1/evacuation-support/imports/${id}/actions/cancel`, {})).status).toBe(409);
  });

  it('runs again an import the service died in, when it starts', async () => {
    const id = await upload('7301,再開 一,1940-01-01,つなぎ市本町3-1,A,要介護4', '7302,再開 二,1941-01-01,つなぎ市本町3-2,B,要介護4');
    const fukushiDept = departmentId('tsunagi-city', 'fukushi');
    const job = { keepers: [fukushiDept], audit: { tenantId: CITY, requestId: null, actor: { type: 'staff', id: accountId('fukushi-counselor'), roles: ['counselor'], departmentId: fukushiDept } } };
    // As a confirm leaves it when the process dies before the job's transaction commits.
    await t.sql(`update register_imports set state = 'importing', job = $2 where id = $1`, [id, JSON.stringify(job)]);
    await t.app.get(ImportRunner).onApplicationBootstrap();
    expect(await outcome(id)).toMatchObject({ state: 'imported', imported: 2 });
    expect(await listed('7301', '7302')).toBe(2);
    const audit = await t.sql(`select action, actor_id, legal_basis from audit_log where action = 'register.add' and subject_id in (select id::text from register_entries where resident_number in ('7301', '7302'))`);
    expect(audit).toEqual([
      { action: 'register.add', actor_id: accountId('fukushi-counselor'), legal_basis: 'DMA_ROSTER_INTERNAL' },
      { action: 'register.add', actor_id: accountId('fukushi-counselor'), legal_basis: 'DMA_ROSTER_INTERNAL' },
    ]);
  });

  it('reports progress batch by batch, skipped rows counted as done', async () => {
    const id = await upload('7401,進捗 一,1940-01-01,つなぎ市本町4-1,A,要介護4', '7402,進捗 二,1940-01-02,つなぎ市本町4-2,A,要介護4', '7403,進捗 三,1940-01-03,つなぎ市本町4-3,A,要介護4', '7101,失敗 一,1940-01-01,つなぎ市本町1-1,A,要介護4');
    const fukushiDept = departmentId('tsunagi-city', 'fukushi');
    const job = { keepers: [fukushiDept], audit: { tenantId: CITY, requestId: null, actor: { type: 'staff' as const, id: accountId('fukushi-counselor'), roles: ['counselor'], departmentId: fukushiDept } } };
    const seen: number[] = [];
    const result = await t.app.get(Db).inTenant(CITY, (em) => t.app.get(EnterCandidates).run(em, job, id, async (done) => void seen.push(done), 2));
    expect(seen).toEqual([2, 4]);
    expect(result).toMatchObject({ imported: 3, skipped: [expect.objectContaining({ residentNumber: '7101' })] });
  });

  it('imports a Shift_JIS file of thousands of rows, a batch of bound values at a time, row for row as a small one', async () => {
    const fukushiDept = departmentId('tsunagi-city', 'fukushi');
    const person = (number: string, department: string) =>
      t.sql<{ id: string }>(
        `insert into persons (id, tenant_id, collected_by_department_id, resident_number, family_name, given_name, birth_date, sex, address, sensitive)
         values (gen_random_uuid(), $1, $2, $3, '既存', '一', '1940-01-01', 'female', 'つなぎ市', '{}') returning id`,
        [CITY, department, number],
      );
    // On file before the import: one the keepers (福祉課) hold, so the row names her; one only 長寿課 holds, so the row is skipped.
    const [held] = await person('8800001', fukushiDept);
    const [elsewhere] = await person('8800002', departmentId('tsunagi-city', 'choju'));
    // Quotes, a backslash, MikroORM's placeholder and a bind marker must come through as text; 髙 and ① are CP932.
    const address = (i: number) => `つなぎ市本町${i} O'Brien \\ 髙① ? $1 "号"`;
    const ROWS = 6_000;
    const lines = [HEADER];
    for (let i = 0; i < ROWS; i++) {
      const birth = i % 1000 === 500 ? '1940-13-01' : `19${30 + (i % 60)}-01-${String(1 + (i % 28)).padStart(2, '0')}`;
      lines.push(`${8800000 + i},大量 ${i},${birth},"${address(i).replaceAll('"', '""')}",${'ABC'[i % 3]},要介護4`);
    }
    lines.push(`8800010,重複 一,1940-01-01,つなぎ市,A,要介護4`);
    const file = iconv.encode(lines.join('\r\n'), 'Shift_JIS');

    const res = await fukushi().post('/api/v1/evacuation-support/imports', file as unknown as object, { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ encoding: 'shift_jis', totalRows: ROWS + 1, validRows: ROWS - 6, rejectedRows: 7 });
    expect(res.body.rejected.map((r: { line: number }) => r.line)).toEqual([502, 1502, 2502, 3502, 4502, 5502, ROWS + 2]);
    expect(res.body.rejected[6]).toMatchObject({ residentNumber: '8800010', problems: [{ column: '宛名番号', ja: '12行目と重複しています（宛名番号）' }] });
    // Stored in file order across the batches it was sent in.
    const [stored] = await t.sql(
      `select count(*)::int as valid, bool_and(l > p) as in_order
         from (select (x->>'line')::int as l, lag((x->>'line')::int) over (order by n) as p
                 from (select rows from register_imports where id = $1) i, jsonb_array_elements(i.rows) with ordinality as r(x, n)) s`,
      [res.body.id],
    );
    expect(stored).toEqual({ valid: ROWS - 6, in_order: true });

    expect((await confirm(res.body.id)).status).toBe(202);
    const done = await importOutcome(() => fukushi().get(`/api/v1/evacuation-support/imports/${res.body.id}`), 4_000);
    expect(done).toMatchObject({ state: 'imported', imported: ROWS - 7, skippedRows: 1, skipped: [{ line: 4, residentNumber: '8800002' }], progress: { done: ROWS - 6, total: ROWS - 6 } });

    const [entries] = await t.sql(
      `select count(*)::int as n, count(*) filter (where eligible)::int as eligible, count(distinct person_id)::int as people from register_entries where resident_number like '88_____'`,
    );
    expect(entries).toEqual({ n: ROWS - 7, eligible: ROWS - 7, people: ROWS - 7 });
    expect(await t.sql(`select person_id from register_entries where resident_number = '8800001'`)).toEqual([{ person_id: held.id }]);
    const [people] = await t.sql(`select count(*)::int as n from persons where resident_number like '88_____'`);
    // The two on file, and one new person for each entry but hers.
    expect(people).toEqual({ n: 2 + (ROWS - 7 - 1) });
    expect(await t.sql(`select address, family_name, given_name from persons where resident_number = '8800003'`)).toEqual([{ address: address(3), family_name: '大量', given_name: '3' }]);
    // One audit row per entry, naming its person; the refusal of the one held elsewhere is audited too.
    const [audit] = await t.sql(
      `select count(*)::int as n, count(*) filter (where a.person_id = e.person_id)::int as naming from register_entries e join audit_log a on a.subject_id = e.id::text and a.action = 'register.add'
        where e.resident_number like '88_____'`,
    );
    expect(audit).toEqual({ n: ROWS - 7, naming: ROWS - 7 });
    expect(await t.sql(`select outcome, detail->>'field' as field from audit_log where action = 'person.attach' and person_id = $1`, [elsewhere.id])).toEqual([{ outcome: 'denied', field: 'line 4' }]);
  });

  it('lets an auditor verify the chain after a set-wise import', async () => {
    await sealAuditLog(t); // the import's rows are chained by the sealer after their commit
    const [row] = await t.sql<{ ok: boolean; reason: string | null }>(
      `select v.ok, v.reason from (select set_config('app.tenant_id', $1, false)) s, lateral audit_verify() v`,
      [CITY],
    );
    expect(row).toEqual({ ok: true, reason: null });
  });
});
