import type { Response } from 'supertest';
import { DEMO_ACCOUNTS } from '../../seeds/demo-data';
import { protectedPersonFixture, type ProtectedPersonFixture } from '../support/leak-fixture';
import { describeRoutes } from '../support/routes';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/**
 * What a person reads in Japanese carries no code and no UTC: the case timeline, refusals, and every
 * CSV the routes offer, after the story flows (the leak scan's household, then a 再プラン and refusals).
 * The codes looked for are all the vocabulary's; the CSV routes are found among the app's routes.
 */

const UTC = /\d{4}-\d\d-\d\dT\d\d:\d\d|T\d\d:\d\d:\d\d(\.\d+)?Z/;
/** CSV columns that hold identifiers, not words: ids, hashes, and the audit action's code a search filters by (操作 beside it is its label). */
const IDENTIFIER_COLUMN = /(ID|ハッシュ|^操作コード)$/;

describe('Japanese labels: no code and no UTC in what people read', () => {
  let t: TestApp;
  let fixture: ProtectedPersonFixture;
  let codes: Set<string>;
  const refusals: { what: string; text: string }[] = [];
  const as = async (login: string) => bearer(await t.token(login));

  /** The words of a text that are a known code. */
  const codesIn = (text: string) => [...text.matchAll(/[A-Za-z][A-Za-z0-9_]*/g)].map(([word]) => word).filter((word) => codes.has(word));

  beforeAll(async () => {
    t = await startTestApp();
    fixture = await protectedPersonFixture(t);
    const vocabulary = await t.http().get('/api/v1/vocabulary').set(await as('choju-counselor')).expect(200);
    // A code whose Japanese label is the code itself (8050, DV) is how people write it.
    codes = new Set(
      Object.values(vocabulary.body as Record<string, { code: string; ja: string }[]>)
        .flat()
        .filter(({ code, ja }) => ja.toLowerCase() !== code.toLowerCase())
        .map(({ code }) => code),
    );

    // The coordination case reaches monitoring and is replanned: the timeline's "モニタリング → 再プラン".
    const coordinator = await as('kyosei-coordinator');
    const [coordination] = await t.sql<{ id: string; version: number }>(`update coordination_cases set state = 'monitoring' where id = $1 returning id, version`, [fixture.pool.coordination[0]]);
    await t.http().post(`/api/v1/coordination/cases/${coordination.id}/actions/replan`).set(coordinator).send({ version: coordination.version, reason: '状況の変化' }).expect(200);

    // Refusals a person meets, in Japanese (the default).
    const counselor = await as('choju-counselor');
    const caseId = fixture.pool.case[0];
    const refuse = async (what: string, res: Response, status: number) => {
      expect(res.status).toBe(status);
      const body = res.body as { title: string; detail: string; errors?: { message: string }[] };
      refusals.push({ what, text: [body.title, body.detail, ...(body.errors ?? []).map((e) => e.message)].join('\n') });
    };
    const current = (await t.http().get(`/api/v1/cases/${caseId}`).set(counselor)).body.version;
    await refuse('close without a reason, referrals open', await t.http().post(`/api/v1/cases/${caseId}/actions/close`).set(counselor).send({ version: current, reason: ' ' }), 422);
    await refuse('resume support at intake', await t.http().post(`/api/v1/cases/${caseId}/actions/resume-support`).set(counselor).send({ version: current }), 409);
    const again = (await t.http().get(`/api/v1/coordination/cases/${coordination.id}`).set(coordinator)).body.version;
    await refuse('suspend without a reason', await t.http().post(`/api/v1/coordination/cases/${coordination.id}/actions/suspend`).set(coordinator).send({ version: again }), 422);
    const [entry] = await t.sql<{ id: string; version: number }>(`select id, version from register_entries where id = $1`, [fixture.pool.registerEntry[0]]);
    await refuse('remove from the register without a reason', await t.http().post(`/api/v1/evacuation-support/entries/${entry.id}/actions/remove`).set(await as('fukushi-counselor')).send({ version: entry.version }), 422);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the timeline reads in Japanese, coordination steps included', async () => {
    const timeline = await t.http().get(`/api/v1/cases/${fixture.pool.case[0]}/timeline?limit=200`).set(await as('choju-counselor')).expect(200);
    const lines: string[] = timeline.body.items.map((step: { text: { ja: string } }) => step.text.ja);
    expect(lines).toContain('モニタリング → 再プラン（理由: 状況の変化）');
    expect(lines.filter((line) => codesIn(line).length > 0 || UTC.test(line) || line === 'その他の記録')).toEqual([]);
  });

  it('refusals say what is missing in words, not by a guard’s name', () => {
    expect(refusals.map((r) => r.what)).toHaveLength(4);
    expect(refusals[0].text).toContain('理由の入力が必要です');
    expect(refusals.filter((r) => codesIn(r.text).length > 0 || UTC.test(r.text))).toEqual([]);
  });

  it('every CSV export has Japanese values and Japan time, and is saved as a named file', async () => {
    const csvRoutes = describeRoutes(t.app).filter((r) => r.method === 'GET' && r.path.endsWith('.csv'));
    expect(csvRoutes.length).toBeGreaterThanOrEqual(5);
    const logins = DEMO_ACCOUNTS.filter((a) => a.tenant === 'tsunagi-city').map((a) => a.login);
    const found: string[] = [];
    for (const route of csvRoutes) {
      // Path parameters with a fixed list (the overview's sections) are tried with every value.
      const paths = Object.entries(route.params).reduce(
        (all, [name, schema]) => all.flatMap((path) => ((schema as { options?: string[] } | undefined)?.options ?? []).map((value) => path.replace(`:${name}`, value))),
        [route.path],
      );
      for (const path of paths) {
        let answered = false;
        for (const login of logins) {
          const res = await t.http().get(path).set(await as(login));
          if (res.status !== 200) continue;
          answered = true;
          // Saved, not shown: the browser names the file and Excel opens it.
          expect([path, res.headers['content-disposition']]).toEqual([path, expect.stringMatching(/^attachment; filename="[\w-]+\.csv"$/)]);
          const [header, ...rows] = res.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((line) => line.split(','));
          const words = rows.flatMap((row) => row.filter((_, i) => !IDENTIFIER_COLUMN.test(header[i] ?? '')));
          found.push(...words.filter((cell) => codesIn(cell).length > 0 || UTC.test(cell)).map((cell) => `${path} as ${login}: ${cell}`));
        }
        expect([path, answered]).toEqual([path, true]);
      }
    }
    expect(found).toEqual([]);
  });
});
