import iconv from 'iconv-lite';
import { RenewalRunner } from '../../src/modules/evacuation-support/renewal-runner';
import { accountId, tenantId } from '../../seeds/demo-data';
import type { operations } from '../generated/api';
import { ApiClient } from '../support/api-client';
import { dvMeasureFixture } from '../support/fixtures';
import { importOutcome } from '../support/import-job';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const CSV = [
  '宛名番号,氏名,氏名カナ,生年月日,性別,住所,電話番号,地区,要介護度,身体障害者手帳,療育手帳,精神障害者保健福祉手帳,難病,独居,世帯状況',
  '1001,山田 ハナ,ヤマダ ハナ,1940/01/01,女,つなぎ市本町1-1,0120-000-001,A,要介護4,,,,無,有,独居',
  '1002,佐藤 太郎,サトウ タロウ,1948-03-03,男,つなぎ市本町2-2,0120-000-002,A,,1級,,,無,無,夫婦のみ',
  '1003,鈴木 一,スズキ ハジメ,1990-05-05,男,つなぎ市本町3-3,,A,,,,,無,無,',
  '1004,高橋 花,タカハシ ハナ,1945-07-07,女,つなぎ市北町1-1,,B,要介護3,,,,無,無,',
  '1005,田中 次郎,タナカ ジロウ,1950-08-08,男,つなぎ市北町2-2,,B,,,A,,無,無,',
  '1006,伊藤 三郎,イトウ サブロウ,1947-09-09,男,つなぎ市南町1-1,,C,要介護5,,,,無,無,',
  '1007,渡辺 四郎,ワタナベ シロウ,2026/02/30,男,つなぎ市南町2-2,,C,要介護3,,,,無,無,',
  '1008,小林 五郎,コバヤシ ゴロウ,1944-04-04,男,どこか,,Z,要介護3,,,,無,無,',
  '1001,山田 ハナ,ヤマダ ハナ,1940/01/01,女,つなぎ市本町1-1,,A,要介護4,,,,無,有,',
].join('\r\n');

/** The register story: import, notices, answers, rosters by consent, a disaster, plans, renewal. */
describe('避難行動要支援者: the register from import to renewal', () => {
  let t: TestApp;
  let api: ApiClient;
  const ids: Record<string, { entryId: string; personId: string; version: number }> = {};

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
  });
  afterAll(() => t.close());

  const fukushi = () => api.as('fukushi-counselor');
  const rosterNames = async (login: string, path: '/api/v1/evacuation-support/roster' | '/api/v1/evacuation-support/plans' = '/api/v1/evacuation-support/roster') => {
    const { data, response } = await api.typed(login).GET(path);
    expect(response.status).toBe(200);
    return data!.items.map((r) => `${r.name!.family} ${r.name!.given}:${r.basis}`).sort();
  };
  type EntryAction = operations['actOnRegisterEntry']['parameters']['path']['action'];
  type EntryActionBody = NonNullable<operations['actOnRegisterEntry']['requestBody']>['content']['application/json'];
  const act = async (name: string, action: EntryAction, body: EntryActionBody = {}) => {
    const { data, response } = await api.typed('fukushi-counselor').POST('/api/v1/evacuation-support/entries/{id}/actions/{action}', {
      params: { path: { id: ids[name].entryId, action } },
      body: { version: ids[name].version, ...body },
    });
    expect(response.status).toBe(200);
    ids[name].version = data!.version;
    return data!;
  };

  it('imports a Shift_JIS candidate list: a row-by-row report first, nothing imported until confirmed', async () => {
    const token = await t.token('fukushi-counselor');
    const upload = await t.http().post('/api/v1/evacuation-support/imports').set(bearer(token)).set('Content-Type', 'text/csv').send(iconv.encode(CSV, 'Shift_JIS'));
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ encoding: 'shift_jis', totalRows: 9, validRows: 6, state: 'parsed' });
    expect(upload.body.rejected.map((r: { line: number }) => r.line)).toEqual([8, 9, 10]);
    expect(await t.sql(`select count(*)::int n from register_entries`)).toEqual([{ n: 0 }]);

    const confirm = () => api.typed('fukushi-counselor').POST('/api/v1/evacuation-support/imports/{id}/actions/{action}', { params: { path: { id: upload.body.id, action: 'confirm' } } });
    const confirmed = await confirm();
    expect(confirmed.response.status).toBe(202);
    expect(confirmed.data).toMatchObject({ state: 'importing', statusUrl: `/api/v1/evacuation-support/imports/${upload.body.id}` });
    const status = () => fukushi().get(confirmed.data!.statusUrl);
    expect(await importOutcome(status)).toMatchObject({ state: 'imported', imported: 6, progress: { done: 6, total: 6 }, failure: null });
    // Confirming again changes nothing: the same six entries, one audit row each.
    expect((await confirm()).data).toMatchObject({ state: 'imported', imported: 6 });
    expect(await t.sql(`select count(*)::int n from register_entries`)).toEqual([{ n: 6 }]);
    expect(await t.sql(`select count(*)::int n from audit_log where action = 'register.add'`)).toEqual([{ n: 6 }]);
    expect(await t.sql(`select count(*)::int n from domain_events where type = 'RegisterEntryAdded'`)).toEqual([{ n: 6 }]);
    const entries = (await api.typed('fukushi-counselor').GET('/api/v1/evacuation-support/entries')).data!;
    expect(entries.next).toBeNull();
    for (const e of entries.items) ids[`${e.name!.family} ${e.name!.given}`] = { entryId: e.id, personId: e.personId, version: e.version };
    const eligible = (await api.typed('fukushi-counselor').GET('/api/v1/evacuation-support/entries', { params: { query: { eligible: 'true' } } })).data!;
    expect(eligible.items.map((e) => e.name!.family).sort()).toEqual(['伊藤', '佐藤', '山田', '田中', '高橋'].sort());
    expect(eligible.items.find((e) => e.name!.family === '山田')!.eligibility[0].because.ja).toBe('要介護4');
    const inB = (await api.typed('fukushi-counselor').GET('/api/v1/evacuation-support/entries', { params: { query: { districtCode: 'B', state: 'candidate' } } })).data!;
    expect(inB.items.map((e) => e.name!.family).sort()).toEqual(['田中', '高橋'].sort());
  });

  it('adds people found by 長寿課’s survey and at a neighbour’s request', async () => {
    const survey = await api.as('choju-counselor').post('/api/v1/evacuation-support/entries', {
      source: 'survey',
      person: { familyName: '木村', givenName: 'トメ', birthDate: '1944-02-02', sex: 'female', address: 'つなぎ市本町5-5' },
      districtCode: 'A',
      facts: { livingAlone: true },
    });
    expect(survey.body).toMatchObject({ state: 'candidate', eligible: true });
    ids['木村 トメ'] = { entryId: survey.body.id, personId: '', version: survey.body.version };
    const request = await api.as('choju-counselor').post('/api/v1/evacuation-support/entries', {
      source: 'request',
      person: { familyName: '林', givenName: '秘子', birthDate: '1950-01-01', address: '秘匿住所1-1' },
      districtCode: 'A',
      facts: { careLevel: '要介護3' },
    });
    ids['林 秘子'] = { entryId: request.body.id, personId: '', version: request.body.version };
    // She is under DV protection: she may be registered, but no community roster may carry her.
    const [hayashi] = await t.sql<{ id: string }>(`select id from persons where family_name = '林'`);
    await dvMeasureFixture(t, hayashi.id, [accountId('choju-counselor')]);
  });

  it('sends notices (a CSV for mail merge) and records the answers', async () => {
    const sent = await api.typed('fukushi-counselor').POST('/api/v1/evacuation-support/notices', { body: {} });
    expect(sent.data!.sent).toBe(7);
    const csv = await fukushi().get('/api/v1/evacuation-support/notices.csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.startsWith('\uFEFF宛名番号,氏名,住所,地区,案内')).toBe(true);
    expect(csv.text).toContain('山田 ハナ');
    expect(csv.text).not.toContain('鈴木');
    expect((await api.typed('fukushi-counselor').POST('/api/v1/evacuation-support/notices/actions/mark-mailed')).data!.sent).toBe(7);
    for (const name of Object.keys(ids)) ids[name].version += 2;

    await act('山田 ハナ', 'register', { provision: 'consent' });
    await act('佐藤 太郎', 'register', { provision: 'refused' });
    await act('木村 トメ', 'register', { provision: 'consent' });
    await act('林 秘子', 'register', { provision: 'consent' });
    await act('高橋 花', 'register', { provision: 'consent' });
    await act('伊藤 三郎', 'register', { provision: 'consent' });
    expect((await act('田中 次郎', 'decline')).state).toBe('declined');
  });

  it('gives the 民生委員 of 地区A only consenting people of 地区A, nobody under DV protection, as a recorded provision', async () => {
    expect(await rosterNames('minsei-a')).toEqual(['山田 ハナ:DMA_ROSTER_NORMAL', '木村 トメ:DMA_ROSTER_NORMAL'].sort());
    const download = await api.as('minsei-a').get('/api/v1/evacuation-support/roster.csv');
    expect(download.text).toContain('山田 ハナ');
    expect(download.text).not.toContain('秘匿住所');
    const provisions = await t.sql<{ kind: string; basis: string; persons: number; receipt_number: string }>(
      `select kind, basis, cardinality(person_ids) persons, receipt_number from provisions where supporter_id = $1 order by created_at`,
      [accountId('minsei-a')],
    );
    expect(provisions.map(({ kind, basis, persons }) => ({ kind, basis, persons }))).toEqual([
      { kind: 'roster_view', basis: 'DMA_ROSTER_NORMAL', persons: 2 },
      { kind: 'roster_download', basis: 'DMA_ROSTER_NORMAL', persons: 2 },
    ]);
    expect(download.text).toContain(provisions[1].receipt_number);
    const audit = await t.sql(`select count(*)::int n from audit_log where action like 'roster.%' and legal_basis = 'DMA_ROSTER_NORMAL' and actor_id = $1`, [accountId('minsei-a')]);
    expect(audit).toEqual([{ n: 4 }]);
  });

  it('refuses another 地区 and a person without a basis: 403 and an audit row', async () => {
    const other = await api.as('minsei-a').get('/api/v1/evacuation-support/roster?district=B');
    expect(other.status).toBe(403);
    const [sato] = await t.sql<{ id: string }>(`select id from persons where family_name = '佐藤'`);
    const refused = await api.as('minsei-a').get(`/api/v1/evacuation-support/roster/${sato.id}`);
    expect(refused.status).toBe(403);
    const denials = await t.sql(`select action, outcome from audit_log where actor_id = $1 and outcome = 'denied' order by id`, [accountId('minsei-a')]);
    expect(denials).toEqual([
      { action: 'roster.read-district', outcome: 'denied' },
      { action: 'roster.read-person', outcome: 'denied' },
    ]);
  });

  it('in a declared disaster supporters get everyone listed in their 地区, until it is closed', async () => {
    const declared = await api.typed('anshin-counselor').POST('/api/v1/evacuation-support/disasters', { body: { kind: '大雨', title: '大雨特別警報', districtCodes: ['A', 'B'] } });
    expect(declared.response.status).toBe(201);
    expect((await api.typed('minsei-a').GET('/api/v1/evacuation-support/disasters')).data!.items).toEqual([expect.objectContaining({ id: declared.data!.id, districtCodes: ['A', 'B'], closedAt: null })]);
    expect(await rosterNames('minsei-a')).toEqual(['山田 ハナ:DMA_ROSTER_DISASTER', '佐藤 太郎:DMA_ROSTER_DISASTER', '木村 トメ:DMA_ROSTER_DISASTER'].sort());
    expect(await rosterNames('minsei-b')).toEqual(['高橋 花:DMA_ROSTER_DISASTER']);
    const [provision] = await t.sql(`select disaster_id from provisions where basis = 'DMA_ROSTER_DISASTER' and supporter_id = $1`, [accountId('minsei-a')]);
    expect(provision).toEqual({ disaster_id: declared.data!.id });
    expect((await api.as('fukushi-counselor').post('/api/v1/evacuation-support/disasters', { kind: 'x', title: 'x', districtCodes: ['A'] })).status).toBe(403);

    const closed = await api.typed('anshin-counselor').POST('/api/v1/evacuation-support/disasters/{id}/actions/close', { params: { path: { id: declared.data!.id } } });
    expect(closed.data!.closedAt).not.toBeNull();
    expect(await rosterNames('minsei-a')).toEqual(['山田 ハナ:DMA_ROSTER_NORMAL', '木村 トメ:DMA_ROSTER_NORMAL'].sort());
  });

  it('shares a 個別避難計画 in normal times only when the person and the named helper both consented', async () => {
    const plan = (name: string, helperConsent: boolean) =>
      api.typed('choju-counselor').PUT('/api/v1/evacuation-support/entries/{id}/plan', {
        params: { path: { id: ids[name].entryId } },
        body: { version: 0, personConsent: true, helperConsent, helper: { name: '隣 助', address: 'つなぎ市本町1-2', phone: '090-1111-2222' }, shelter: '本町小学校', route: '本町通りを北へ', medication: '降圧剤' },
      });
    const token = await t.token('choju-counselor');
    for (const [name, consent] of [['山田 ハナ', true], ['木村 トメ', false]] as const) {
      const res = await plan(name, consent);
      expect(res.response.status).toBe(200);
    }
    expect(await rosterNames('minsei-a', '/api/v1/evacuation-support/plans')).toEqual(['山田 ハナ:DMA_PLAN_NORMAL']);
    const noConsent = await t.http().put(`/api/v1/evacuation-support/entries/${ids['佐藤 太郎'].entryId}/plan`).set('Authorization', `Bearer ${token}`).send({ version: 0, personConsent: false, helperConsent: true, helper: { name: 'x', address: 'x', phone: 'x' }, shelter: 'x', route: 'x' });
    expect(noConsent.status).toBe(400);
  });

  it('reports the national figures per 地区', async () => {
    const figures = await api.typed('fukushi-counselor').GET('/api/v1/evacuation-support/figures');
    expect(figures.data!.find((f) => f.district === 'A')).toEqual({
      district: 'A',
      listed: 4,
      sharedInNormalTimes: 3,
      sharedPercent: 75,
      plansMade: 2,
      plansPercent: 50,
      pendingAnswers: 0,
    });
  });

  it('renews a year later: notices to all registered, removals ask supporters to return what they hold', async () => {
    const started = await api.typed('fukushi-counselor').POST('/api/v1/evacuation-support/renewal-campaigns', { body: { year: 2027 } });
    expect(started.response.status).toBe(201);
    let campaign;
    for (let i = 0; i < 50; i++) {
      campaign = (await api.typed('fukushi-counselor').GET('/api/v1/evacuation-support/renewal-campaigns/{id}', { params: { path: { id: started.data!.id } } })).data!;
      if (campaign.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(campaign).toMatchObject({ state: 'completed', total: 6, processed: 6, report: { noticesSent: 6 } });
    for (const name of Object.keys(ids)) ids[name].version = (await t.sql<{ version: number }>(`select version from register_entries where id = $1`, [ids[name].entryId]))[0].version;

    await act('木村 トメ', 'renew', { provision: 'consent' });
    expect((await act('山田 ハナ', 'remove', { reason: 'death' })).state).toBe('removed');
    const tasks = (await api.typed('minsei-a').GET('/api/v1/evacuation-support/return-tasks')).data!;
    expect(tasks.items).toEqual([expect.objectContaining({ reason: 'death', state: 'open' })]);
    const done = await api.typed('minsei-a').POST('/api/v1/evacuation-support/return-tasks/{id}/actions/done', { params: { path: { id: tasks.items[0].id } } });
    expect(done.data!.state).toBe('done');
    expect((await api.typed('minsei-b').GET('/api/v1/evacuation-support/return-tasks')).data).toEqual({ items: [], next: null });
  });

  it('never lets the DV-protected person reach any supporter', () => {
    for (const r of api.responses.filter((r) => r.login.startsWith('minsei') || r.login.startsWith('bosai'))) {
      expect({ path: r.path, leaked: r.body.includes('秘匿住所') || r.body.includes('林') }).toEqual({ path: r.path, leaked: false });
    }
  });
});

describe('避難行動要支援者: a renewal killed halfway', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('resumes without sending any notice twice', async () => {
    const token = await t.token('fukushi-counselor');
    for (let i = 0; i < 5; i++) {
      const added = await t.http().post('/api/v1/evacuation-support/entries').set(bearer(token)).send({ source: 'application', person: { familyName: '更新', givenName: `${i}`, address: `本町${i}`, birthDate: '1940-01-01' }, districtCode: 'A', facts: { careLevel: '要介護5' } });
      await t.http().post(`/api/v1/evacuation-support/entries/${added.body.id}/actions/register`).set(bearer(token)).send({ version: 1, provision: 'consent' });
    }
    const [campaign] = await t.sql<{ id: string }>(
      `insert into renewal_campaigns (id, tenant_id, year, state, total, started_by) values (gen_random_uuid(), $1, 2027, 'running', 5, $2) returning id`,
      [tenantId('tsunagi-city'), accountId('fukushi-counselor')],
    );
    const runner = t.app.get(RenewalRunner);
    expect(await runner.run(tenantId('tsunagi-city'), campaign.id, { maxBatches: 1, batchSize: 2 })).toBe(2);
    expect(await t.sql(`select state, processed from renewal_campaigns where id = $1`, [campaign.id])).toEqual([{ state: 'running', processed: 2 }]);
    // The service restarts: the job picks up where it stopped.
    expect(await runner.run(tenantId('tsunagi-city'), campaign.id, { batchSize: 2 })).toBe(3);
    expect(await runner.run(tenantId('tsunagi-city'), campaign.id)).toBe(0);
    const notices = await t.sql(`select entry_id, count(*)::int n from renewal_notices where campaign_id = $1 group by entry_id`, [campaign.id]);
    expect(notices).toHaveLength(5);
    expect(notices.every((n) => n.n === 1)).toBe(true);
    expect(await t.sql(`select count(*)::int n from register_entries where state = 'renewal_notice_sent'`)).toEqual([{ n: 5 }]);
  });
});

describe('避難行動要支援者: provision by ordinance (条例)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shares people registered under the ordinance unless they refused, and needs the article to switch', async () => {
    const keeper = bearer(await t.token('fukushi-counselor'));
    const rules = { rules: [{ code: 'care', kind: 'care_level_at_least', min: 3, label: { ja: '要介護3以上', en: 'care level 3 or more' } }] };
    const noArticle = await t.http().put('/api/v1/evacuation-support/settings').set(keeper).send({ version: 0, eligibilityRules: rules, provisionModel: 'ordinance' });
    expect(noArticle.status).toBe(400);
    expect(noArticle.body.errors[0].field).toBe('body.ordinanceArticle');
    const saved = await t.http().put('/api/v1/evacuation-support/settings').set(keeper).send({ version: 0, eligibilityRules: rules, provisionModel: 'ordinance', ordinanceArticle: 'つなぎ市避難行動要支援者名簿条例第5条' });
    expect(saved.body).toEqual({ version: 1 });

    for (const [name, provision] of [['条例', 'ordinance'], ['拒否', 'refused']] as const) {
      const added = await t.http().post('/api/v1/evacuation-support/entries').set(keeper).send({ source: 'application', person: { familyName: name, givenName: '一', address: '本町' }, districtCode: 'A', facts: { careLevel: '要介護3' } });
      await t.http().post(`/api/v1/evacuation-support/entries/${added.body.id}/actions/register`).set(keeper).send({ version: 1, provision }).expect(200);
    }
    const roster = await t.http().get('/api/v1/evacuation-support/roster').set(bearer(await t.token('minsei-a'))).expect(200);
    expect(roster.body.items.map((r: { name: { family: string }; basis: string }) => `${r.name.family}:${r.basis}`)).toEqual(['条例:DMA_ROSTER_NORMAL']);
  });
});
