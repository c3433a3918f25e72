import { accountId } from '../../seeds/demo-data';
import { Fixtures } from '../support/fixtures';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { tamperWithAuditLog } from '../support/audit-tampering';
import { expectStablePaging } from '../support/paging';

/** The auditors' side: search, the person report, export, checkpoints, anomaly flags. */
describe('audit review', () => {
  let t: TestApp;
  let auditor: Record<string, string>;
  let personId: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    auditor = bearer(await t.token('auditor'));
    const fixtures = new Fixtures(t);
    const opened = await fixtures.openCase('choju-counselor');
    caseId = opened.id;
    personId = opened.persons[0].personId;
    await t.http().get(`/api/v1/cases/${caseId}`).set(bearer(await t.token('choju-counselor'))).expect(200);
    await t.http().get(`/api/v1/cases/${caseId}`).set(bearer(await t.token('choju-manager'))).expect(200);
    await fixtures.refer('choju-counselor', caseId, 'tsunagi-city', 'fukushi');
    for (let i = 0; i < 6; i++) await t.http().get('/api/v1/staff').set(bearer(await t.token('kenko-counselor'))).expect(403);
  });
  afterAll(() => t.close());

  it('searches by person, actor, action, basis and outcome, newest first, in keyset pages', async () => {
    const byPerson = await t.http().get(`/api/v1/audit/entries?personId=${personId}`).set(auditor).expect(200);
    expect(byPerson.body.items.map((e: { action: string }) => e.action)).toEqual(['case.read', 'case.read', 'case.open']);
    const denied = await t.http().get(`/api/v1/audit/entries?actorId=${accountId('kenko-counselor')}&outcome=denied&limit=4`).set(auditor).expect(200);
    expect(denied.body.items).toHaveLength(4);
    const next = await t.http().get(`/api/v1/audit/entries?actorId=${accountId('kenko-counselor')}&outcome=denied&limit=4&cursor=${denied.body.next}`).set(auditor).expect(200);
    expect(next.body.items).toHaveLength(2);
    expect(next.body.next).toBeNull();
    const ids = [...denied.body.items, ...next.body.items].map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const shares = await t.http().get('/api/v1/audit/entries?legalBasis=APPI_INTERNAL&action=referral.share').set(auditor).expect(200);
    expect(shares.body.items).toHaveLength(1);
    expect(shares.body.items[0]).toMatchObject({ action: 'referral.share', legalBasis: 'APPI_INTERNAL', occurredAt: expect.stringMatching(/Z$/) });
    await t.http().get('/api/v1/audit/entries?legalBasis=NOT_A_BASIS').set(auditor).expect(400);
  });

  it('pages the search newest first without repeating or missing a row while the log grows', async () => {
    const kenko = bearer(await t.token('kenko-counselor'));
    await expectStablePaging({
      limit: 2,
      page: async (cursor) => {
        const { data, response } = await t.api('auditor').GET('/api/v1/audit/entries', { params: { query: { actorId: accountId('kenko-counselor'), limit: 2, cursor } } });
        expect(response.status).toBe(200);
        return data!;
      },
      key: (entry) => String(entry.id),
      // Newest first: a row written now lands before the first page, so paging on does not meet it.
      insert: async () => {
        await t.http().get('/api/v1/staff').set(kenko).expect(403);
        return undefined;
      },
    });
  });

  it('answers who saw a person, when and on what basis', async () => {
    const report = await t.http().get(`/api/v1/audit/persons/${personId}`).set(auditor).expect(200);
    expect(report.body.reads.items.map((r: { actorName: string; action: string }) => `${r.actorName}:${r.action}`)).toEqual(['長寿 和子:case.open', '長寿 和子:case.read', '長寿 課長:case.read']);
    expect(report.body).toMatchObject({ disclosures: { next: null }, provisions: { items: [], next: null } });
    const paged = await t.http().get(`/api/v1/audit/persons/${personId}?limit=2`).set(auditor).expect(200);
    expect(paged.body.reads.items).toHaveLength(2);
    const rest = await t.http().get(`/api/v1/audit/persons/${personId}?limit=2&readsCursor=${paged.body.reads.next}`).set(auditor).expect(200);
    // The auditor's own looks at the report are on it too, after the staff's reads.
    expect(rest.body.reads.items.map((r: { actorName: string; action: string }) => `${r.actorName}:${r.action}`)).toEqual(['長寿 課長:case.read', '監査 花子:audit.person-report']);
    const [meta] = await t.sql(`select action, person_id from audit_log where action = 'audit.person-report'`);
    expect(meta).toEqual({ action: 'audit.person-report', person_id: personId });
  });

  it('exports the log as CSV (UTF-8 with BOM), streamed', async () => {
    const res = await t
      .http()
      .get('/api/v1/audit/entries.csv')
      .set(auditor)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect((res.body as Buffer).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = (res.body as Buffer).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('\uFEFF番号,日時,リクエストID,操作者の種別,操作者ID,操作者,役割,所属課ID,所属課,操作,操作コード,対象の種別,対象ID,本人ID,法的根拠,結果,ハッシュ');
    // Roles name the department; the action reads as words, its code beside it for searching.
    expect(lines.find((l) => l.includes(',case.read,'))).toMatch(/^\d+,\d{4}-\d\d-\d\d \d\d:\d\d,[^,]*,職員,[0-9a-f-]{36},長寿 [^,]+,相談員@長寿課,[0-9a-f-]{36},長寿課,ケースの閲覧,case\.read,/);
    const actions = lines.slice(1).map((l) => l.split(',').slice(9, 11));
    expect(actions.filter(([label, code]) => label === code)).toEqual([]);
    const [{ n }] = await t.sql<{ n: number }>(`select count(*)::int n from audit_log where action <> 'audit.export'`);
    expect(lines.length - 1).toBeGreaterThanOrEqual(n);
  });

  it('signs a checkpoint that later shows whether the log was altered', async () => {
    const made = await t.http().post('/api/v1/audit/checkpoints').set(auditor).expect(201);
    expect(made.body).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), checkpoint: expect.any(String) });
    const ok = await t.http().post('/api/v1/audit/checkpoints/verify').set(auditor).send({ checkpoint: made.body.checkpoint }).expect(200);
    expect(ok.body).toMatchObject({ signatureValid: true, matches: true, seq: made.body.seq });

    const forged = made.body.checkpoint.replace(/\.[^.]+$/, '.AAAA');
    expect((await t.http().post('/api/v1/audit/checkpoints/verify').set(auditor).send({ checkpoint: forged }).expect(200)).body).toEqual({ signatureValid: false, matches: false });

    await tamperWithAuditLog(t, `update audit_log set hash = repeat('0', 64) where seq = $1`, [made.body.seq]);
    const altered = await t.http().post('/api/v1/audit/checkpoints/verify').set(auditor).send({ checkpoint: made.body.checkpoint }).expect(200);
    expect(altered.body).toMatchObject({ signatureValid: true, matches: false, reason: 'altered' });
  });
});

describe('audit anomaly flags', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Rewrites times as the owner would (it breaks the chain, which does not matter here). */
  const moveTo = (where: string, at: string, params: unknown[] = []) => tamperWithAuditLog(t, `update audit_log set occurred_at = $1 where ${where}`, [at, ...params]);

  it('flags reads outside office hours, repeated refusals, many persons in a day and attempts on DV-protected contacts', async () => {
    const fixtures = new Fixtures(t);
    const counselor = bearer(await t.token('choju-counselor'));
    const late = await fixtures.openCase('choju-counselor');
    await t.http().get(`/api/v1/cases/${late.id}`).set(counselor).expect(200);

    for (let i = 0; i < 5; i++) await t.http().get('/api/v1/staff').set(bearer(await t.token('kenko-counselor'))).expect(403);

    const dv = await fixtures.openCase('choju-counselor', { persons: [{ relation: '本人', familyName: '保護', givenName: '花', address: '秘匿', dvProtected: true }] });
    await t.http().get(`/api/v1/cases/${dv.id}`).set(bearer(await t.token('choju-manager'))).expect(200);

    for (let i = 0; i < 30; i++) {
      await t.sql(`insert into audit_log (tenant_id, actor_type, actor_id, action, subject_type, person_id, outcome, seq, occurred_at, prev_hash, hash)
                   values ((select tenant_id from staff where login = 'fukushi-counselor'), 'staff', $1, 'case.read', 'Case', gen_random_uuid(), 'allowed', 0, now(), '', '')`, [accountId('fukushi-counselor')]);
    }

    await moveTo('true', '2026-11-24T01:00:00Z'); // everything on a Tuesday, 10:00 in Japan…
    await moveTo(`action = 'case.read' and subject_id = $2`, '2026-11-21T14:30:00Z', [late.id]); // …but one read on Saturday at 23:30
    const res = await t.http().get('/api/v1/audit/anomalies?from=2026-11-01T00:00:00Z&to=2030-01-01T00:00:00Z').set(bearer(await t.token('auditor'))).expect(200);
    const flags = res.body.items.map((a: { kind: string; actorId: string; count: number }) => `${a.kind}:${a.actorId}:${a.count}`).sort();
    expect(flags).toEqual(
      [
        `dv_contact_attempt:${accountId('choju-manager')}:1`,
        `many_persons:${accountId('fukushi-counselor')}:30`,
        `outside_hours:${accountId('choju-counselor')}:1`,
        `repeated_denials:${accountId('kenko-counselor')}:5`,
      ].sort(),
    );
  });
});
