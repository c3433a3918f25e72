import { departmentId } from '../../seeds/demo-data';
import { ApiClient } from '../support/api-client';
import { expectStablePaging } from '../support/paging';
import { importOutcome } from '../support/import-job';
import { settle } from '../support/projections';
import { startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);
const CSV_HEADER = '宛名番号,氏名,氏名カナ,生年月日,住所,地区,要介護度';

/**
 * The person record: found among the people one's department holds (normalised names, keyset pages),
 * checked for at an intake window without learning anything but who holds it, corrected with history
 * by the department holding the field, linked by 宛名番号 instead of duplicated, and a case's household
 * and issues changed later.
 */
describe('people: find, intake check, correct, household', () => {
  let t: TestApp;
  let api: ApiClient;
  let caseId: string;
  let mother: string;
  let son: string;

  const audit = (action: string, requestId: string) =>
    t.sql<{ outcome: string; person_id: string | null; detail: Record<string, unknown> }>(`select outcome, person_id, detail from audit_log where action = $1 and request_id = $2 order by id`, [action, requestId]);
  const find = (login: string, query: Record<string, string>) => api.as(login).get(`/api/v1/people?${new URLSearchParams(query)}`);
  const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
    const opened = await api.as('choju-counselor').post('/api/v1/cases', {
      title: '8050 世帯',
      issues: ['care'],
      persons: [
        { relation: '本人（母）', familyName: '山田', givenName: 'ハナ', familyNameKana: 'ヤマダ', givenNameKana: 'ハナ', birthDate: '1946-04-01', address: 'つなぎ市本町1-1', phone: '090-1234-5678', residentNumber: '000123' },
        { relation: '長男', familyName: '山田', givenName: '一郎', familyNameKana: 'ヤマダ', givenNameKana: 'イチロウ', birthDate: '1976-06-10' },
      ],
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
    [mother, son] = opened.body.persons.map((p: { personId: string }) => p.personId);
  });
  afterAll(() => t.close());

  describe('story: a 子ども家庭課 counselor checks for a mother 長寿課 supports; 長寿課 corrects her address', () => {
    it('answers that she is known and held by 長寿課 only, with nothing about her, and audits the check with its reason', async () => {
      const check = await api.as('kodomo-katei-counselor').post('/api/v1/people/intake-checks', { familyName: '山田', givenName: 'ハナ', birthDate: '1946-04-01', reason: '子の相談で母の支援状況を確認' });
      expect(check.status).toBe(200);
      expect(check.body).toEqual({ known: true, departments: [{ id: dept('choju'), code: 'choju', name: '長寿課' }] });
      const rows = await audit('person.intake-check', check.headers['x-request-id']);
      expect(rows).toEqual([expect.objectContaining({ outcome: 'allowed', person_id: mother, detail: expect.objectContaining({ reason: '子の相談で母の支援状況を確認', known: true }) })]);
    });

    it('matches by 宛名番号 or by kana written in hiragana, and says "not known" for anyone else', async () => {
      const check = (body: object) => api.as('kodomo-katei-counselor').post('/api/v1/people/intake-checks', { reason: '受付前の確認', ...body });
      expect((await check({ residentNumber: '000123' })).body).toEqual({ known: true, departments: [{ id: dept('choju'), code: 'choju', name: '長寿課' }] });
      expect((await check({ familyName: 'やまだ', givenName: 'はな', birthDate: '1946-04-01' })).body.known).toBe(true);
      expect((await check({ familyName: '山田', givenName: 'ハナ', birthDate: '1946-04-02' })).body).toEqual({ known: false, departments: [] });
    });

    it('refuses a check without name and birth date or 宛名番号, or without a reason (400, ja/en), and writes nothing', async () => {
      const checks = async () => (await t.sql<{ n: number }>(`select count(*)::int n from audit_log where action = 'person.intake-check'`))[0].n;
      const before = await checks();
      for (const body of [{ familyName: '山田', reason: '確認' }, { residentNumber: '000123' }, { residentNumber: '12a', reason: '確認' }]) {
        const res = await api.as('kodomo-katei-counselor').post('/api/v1/people/intake-checks', body);
        expect(res.status).toBe(400);
        expect(res.body.errors[0]).toEqual(expect.objectContaining({ field: expect.any(String), message: expect.any(String) }));
      }
      expect(await checks()).toBe(before);
    });

    it('gives 子ども家庭課 nothing else: her record is 404 and she is not in its search', async () => {
      const read = await api.as('kodomo-katei-counselor').get(`/api/v1/people/${mother}`);
      expect(read.status).toBe(404);
      expect(JSON.stringify(read.body)).not.toContain('本町');
      expect((await api.as('kodomo-katei-counselor').get(`/api/v1/people/${mother}/history`)).status).toBe(404);
      expect((await api.as('kodomo-katei-counselor').patch(`/api/v1/people/${mother}`, { version: 1, reason: '訂正', address: 'x' })).status).toBe(404);
      expect(ids((await find('kodomo-katei-counselor', { q: '山田' })).body)).toEqual([]);
      const [denied] = await t.sql(`select outcome, person_id from audit_log where action = 'person.read' and person_id = $1 and outcome = 'denied'`, [mother]);
      expect(denied).toEqual({ outcome: 'denied', person_id: mother });
    });

    it('lets 長寿課 correct her address on the version read, keeps the change as history, and refuses a stale version (409)', async () => {
      const before = await api.as('choju-counselor').get(`/api/v1/people/${mother}`);
      expect(before.body).toMatchObject({ id: mother, address: 'つなぎ市本町1-1', residentNumber: '000123' });
      const corrected = await api.as('choju-counselor').patch(`/api/v1/people/${mother}`, { address: 'つなぎ市緑町2-2', reason: '転居の届出' }, { 'If-Match': String(before.body.version) });
      expect(corrected.status).toBe(200);
      expect(corrected.body).toEqual({ id: mother, version: before.body.version + 1, changed: ['address'] });
      const stale = await api.as('choju-counselor').patch(`/api/v1/people/${mother}`, { version: before.body.version, address: 'つなぎ市本町1-1', reason: '戻す' });
      expect(stale.status).toBe(409);
      expect(stale.body.currentVersion ?? stale.body.meta?.currentVersion).toBe(before.body.version + 1);
      expect((await api.as('choju-counselor').get(`/api/v1/people/${mother}`)).body.address).toBe('つなぎ市緑町2-2');
      const history = await api.as('choju-counselor').get(`/api/v1/people/${mother}/history`);
      expect(history.body.items).toEqual([
        expect.objectContaining({ field: 'address', old: 'つなぎ市本町1-1', new: 'つなぎ市緑町2-2', reason: '転居の届出', departmentId: dept('choju'), version: before.body.version + 1 }),
      ]);
      const [row] = await t.sql(`select outcome, person_id, detail->>'reason' as reason from audit_log where action = 'person.correct' and person_id = $1`, [mother]);
      expect(row).toEqual({ outcome: 'allowed', person_id: mother, reason: '転居の届出' });
    });

    it('refuses bad corrections (400 ja/en) and writes nothing', async () => {
      const { version } = (await api.as('choju-counselor').get(`/api/v1/people/${mother}`)).body;
      for (const body of [{ version, address: '本町' }, { version, reason: '理由' }, { version, reason: '理由', birthDate: '1946-02-30' }, { version, reason: '理由', familyName: '' }]) {
        const res = await api.as('choju-counselor').patch(`/api/v1/people/${mother}`, body);
        expect(res.status).toBe(400);
        expect(res.body.errors[0]).toEqual(expect.objectContaining({ field: expect.any(String), message: expect.any(String) }));
      }
      expect((await api.as('choju-counselor').get(`/api/v1/people/${mother}`)).body.version).toBe(version);
    });
  });

  describe('what a department holds decides what it finds, reads and corrects', () => {
    beforeAll(async () => {
      await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/consents`, { personId: mother, scope: ['basic'], recipientDepartmentIds: [dept('fukushi')], givenOn: '2026-11-20', method: 'written' });
      const referral = await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/referrals`, {
        toDepartmentId: dept('fukushi'), purpose: '家計の相談', legalBasis: 'CONSENT', share: { persons: [{ personId: mother, fields: ['name'] }] },
      });
      expect(referral.status).toBe(201);
    });

    it('shows 福祉課 only her name, lists the rest as withheld, and lets it find her by name but not by a birth date it does not hold', async () => {
      const read = await api.as('fukushi-counselor').get(`/api/v1/people/${mother}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: mother, name: { family: '山田', given: 'ハナ' }, residentNumber: null });
      expect(read.body.withheldFields).toEqual(expect.arrayContaining(['kana', 'birthDate', 'address', 'phone']));
      expect(read.body.address).toBeNull();
      expect(ids((await find('fukushi-counselor', { q: '山田ハナ' })).body)).toEqual([mother]);
      expect(ids((await find('fukushi-counselor', { q: 'ヤマダ' })).body)).toEqual([]);
      expect(ids((await find('fukushi-counselor', { birthDate: '1946-04-01' })).body)).toEqual([]);
      expect(ids((await find('fukushi-counselor', { residentNumber: '000123' })).body)).toEqual([]);
      const item = (await find('fukushi-counselor', { q: '山田' })).body.items[0];
      expect(item).toMatchObject({ id: mother, address: null, phone: null });
      expect(item.withheldFields).toEqual(expect.arrayContaining(['address', 'phone']));
    });

    it('refuses 福祉課 a correction of a field it does not hold (403, audited) and writes nothing', async () => {
      const { version } = (await api.as('fukushi-counselor').get(`/api/v1/people/${mother}`)).body;
      const res = await api.as('fukushi-counselor').patch(`/api/v1/people/${mother}`, { version, address: '別の住所', reason: '聞き取り' });
      expect(res.status).toBe(403);
      expect(res.body.detail).toEqual(expect.any(String));
      const [denied] = await t.sql(`select outcome from audit_log where action = 'person.correct' and request_id = $1`, [res.body.requestId]);
      expect(denied).toEqual({ outcome: 'denied' });
      expect((await api.as('choju-counselor').get(`/api/v1/people/${mother}`)).body).toMatchObject({ version, address: 'つなぎ市緑町2-2' });
      // The history it may see: none of the address changes.
      expect((await api.as('fukushi-counselor').get(`/api/v1/people/${mother}/history`)).body).toEqual({ items: [], next: null });
    });

    it('lets the manager read but not correct, and keeps 要配慮個人情報 to those who work cases', async () => {
      expect((await api.as('choju-manager').get(`/api/v1/people/${son}`)).status).toBe(200);
      expect((await api.as('choju-manager').patch(`/api/v1/people/${son}`, { version: 1, reason: '訂正', givenName: '一朗' })).status).toBe(403);
      for (const login of ['admin', 'auditor', 'minsei-a']) expect((await api.as(login).get('/api/v1/people')).status).toBe(403);
    });
  });

  describe('search', () => {
    beforeAll(async () => {
      const res = await api.as('choju-counselor').post('/api/v1/cases', {
        title: '表記ゆれ',
        issues: ['care'],
        persons: [
          { relation: '本人', familyName: 'ＳＡＴＯ', givenName: '優子', familyNameKana: 'サトウ', givenNameKana: 'ユーコ', birthDate: '1950-01-01', address: '東町３－４－５', phone: '(0120) 11-2233' },
          { relation: '夫', familyName: '佐藤', givenName: '太郎', familyNameKana: 'サトウ', givenNameKana: 'タロウ', birthDate: '1949-01-01' },
          { relation: '長女', familyName: '佐藤', givenName: '花', familyNameKana: 'サトウ', givenNameKana: 'ハナ', birthDate: '1980-01-01' },
        ],
      });
      expect(res.status).toBe(201);
    });

    it.each([
      ['hiragana for katakana, with a full-width space', { q: 'さとう　ゆーこ' }, ['優子']],
      ['half-width katakana', { q: 'ｻﾄｳﾕｰｺ' }, ['優子']],
      ['old and new dash forms', { q: 'ユ－コ' }, ['優子']],
      ['a hyphen for the long vowel mark', { q: 'ゆ-こ' }, ['優子']],
      ['full width and case of Latin letters', { q: 'sato' }, ['優子']],
      ['spaces in the name', { q: '佐藤 太郎' }, ['太郎']],
      ['birth date', { birthDate: '1980-01-01' }, ['花']],
      ['a phone number written otherwise', { phone: '0120-112233' }, ['優子']],
      ['an address fragment in half width', { address: '東町3-4' }, ['優子']],
      ['every term together', { q: 'サトウ', birthDate: '1949-01-01' }, ['太郎']],
    ])('finds by %s', async (_name, query, given) => {
      const res = await find('choju-counselor', query as Record<string, string>);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { name: { given: string } }) => i.name.given).sort()).toEqual(given);
    });

    it('pages with a cursor (limit default 20, max 100), newest first, each page audited with its terms', async () => {
      const first = await find('choju-counselor', { q: 'サトウ', limit: '2' });
      expect(first.body.items).toHaveLength(2);
      expect(first.body.next).toEqual(expect.any(String));
      const second = await find('choju-counselor', { q: 'サトウ', limit: '2', cursor: first.body.next });
      expect(second.body.items).toHaveLength(1);
      expect(second.body.next).toBeNull();
      expect(new Set([...ids(first.body), ...ids(second.body)]).size).toBe(3);
      const [row] = await audit('person.search', first.headers['x-request-id']);
      expect(row).toMatchObject({ outcome: 'allowed', detail: expect.objectContaining({ terms: { q: 'サトウ' }, results: 2 }) });
      // Each person shown is a read of that person, audited with its own row.
      const reads = await audit('person.search-result', first.headers['x-request-id']);
      expect(reads.map((r) => r.person_id).sort()).toEqual(ids(first.body).sort());
      for (const query of [{ limit: '101' }, { limit: '0' }, { cursor: 'not-a-cursor' }, { birthDate: '1980-13-01' }, { unknown: 'x' }] as Record<string, string>[]) {
        const res = await find('choju-counselor', query);
        expect(res.status).toBe(400);
        expect(res.body.errors[0]).toEqual(expect.objectContaining({ field: expect.any(String), message: expect.any(String) }));
      }
    });
  });

  describe('paged lists stay stable while rows are added', () => {
    const openWithNewPerson = async (familyName: string, givenName: string) => {
      const opened = await api.typed('choju-counselor').POST('/api/v1/cases', { body: { title: 'ページ送り', issues: ['care'], persons: [{ relation: '本人', familyName, givenName }] } });
      return opened.data!.persons[0].personId;
    };

    it('walks the search once while people are added (newest first: they show in the next search)', async () => {
      let n = 0;
      const add = () => openWithNewPerson('頁送', `${++n}郎`);
      for (let i = 0; i < 5; i++) await add();
      await expectStablePaging({
        page: async (cursor) => (await api.typed('choju-counselor').GET('/api/v1/people', { params: { query: { q: '頁送', limit: 2, cursor } } })).data,
        insert: add,
        limit: 2,
        addedSortLast: false,
      });
    });

    it('walks the corrections of a person once while corrections are made, oldest first', async () => {
      const person = await openWithNewPerson('訂正', '履歴');
      let version = 1;
      const correct = async () => {
        const changed = await api.typed('choju-counselor').PATCH('/api/v1/people/{id}', { params: { path: { id: person } }, body: { version, address: `つなぎ市本町${version}`, reason: '転居の届出' } });
        version = changed.data!.version;
        return `${version}:address`;
      };
      const corrections = (cursor?: string) => api.typed('choju-counselor').GET('/api/v1/people/{id}/history', { params: { path: { id: person }, query: { limit: 2, cursor } } });
      for (let i = 0; i < 5; i++) await correct();
      const seen = await expectStablePaging({ page: async (cursor) => (await corrections(cursor)).data, key: (c) => `${c.version}:${c.field}`, insert: correct, limit: 2 });
      expect(seen.map((key) => Number(key.split(':')[0]))).toEqual([...seen.map((key) => Number(key.split(':')[0]))].sort((a, b) => a - b));
      expect((await corrections(Buffer.from(JSON.stringify({ l: 'person-history', k: ['x', 'y'] })).toString('base64url'))).response.status).toBe(400);
    });
  });

  describe('宛名番号 links to the person on file', () => {
    it('links a case intake to the existing record when the department holds it', async () => {
      const res = await api.as('choju-counselor').post('/api/v1/cases', { title: '再相談', issues: ['care'], persons: [{ relation: '本人', familyName: '山田', givenName: 'はな', residentNumber: '000123' }] });
      expect(res.status).toBe(201);
      expect(res.body.persons).toEqual([{ personId: mother, relation: '本人' }]);
    });

    it('refuses the link to a department that does not hold her (404 as for naming by id) and creates no second record', async () => {
      const res = await api.as('kodomo-katei-counselor').post('/api/v1/cases', { title: '母子', issues: ['childcare'], persons: [{ relation: '母', familyName: '山田', givenName: 'ハナ', residentNumber: '000123' }] });
      expect(res.status).toBe(404);
      const [{ n }] = await t.sql<{ n: number }>(`select count(*)::int as n from persons where resident_number = '000123'`);
      expect(n).toBe(1);
      const [{ cases }] = await t.sql<{ cases: number }>(`select count(*)::int as cases from cases where title = '母子'`);
      expect(cases).toBe(0);
    });

    it('answers one 404 for an unknown id, another municipality’s and one the department does not hold, at intake and when adding a household member; nothing written', async () => {
      const foreign = (await api.as('other-city-counselor').post('/api/v1/cases', { title: '隣町', issues: ['care'], persons: [{ relation: '本人', familyName: '隣', givenName: '町子' }] })).body.persons[0].personId;
      const own = await api.as('kodomo-katei-counselor').post('/api/v1/cases', { title: '子の相談', issues: ['childcare'], persons: [{ relation: '本人', familyName: '別', givenName: '子' }] });
      expect(own.status).toBe(201);
      const written = async () => (await t.sql(`select (select count(*) from cases) as cases, (select count(*) from case_persons) as links, (select count(*) from persons) as persons, (select count(*) from domain_events) as events`))[0];
      // The answer without what differs per request: status and body must not tell the three apart.
      const answer = ({ status, body }: { status: number; body: Record<string, unknown> }) => ({ status, body: { ...body, requestId: undefined } });
      const before = await written();
      const ids = { unknown: '00000000-0000-4000-8000-0000000000aa', foreign, notHeld: mother };
      const intake: Record<string, unknown> = {};
      const household: Record<string, unknown> = {};
      for (const [kind, personId] of Object.entries(ids)) {
        intake[kind] = answer(await api.as('kodomo-katei-counselor').post('/api/v1/cases', { title: '母子', issues: ['childcare'], persons: [{ relation: '母', personId }] }));
        household[kind] = answer(await api.as('kodomo-katei-counselor').post(`/api/v1/cases/${own.body.id}/persons`, { version: own.body.version, person: { relation: '母', personId } }));
      }
      expect(intake.unknown).toMatchObject({ status: 404, body: { detail: expect.stringContaining('見つかりません') } });
      expect(intake.foreign).toEqual(intake.unknown);
      expect(intake.notHeld).toEqual(intake.unknown);
      expect(household.unknown).toMatchObject({ status: 404 });
      expect(household.foreign).toEqual(household.unknown);
      expect(household.notHeld).toEqual(household.unknown);
      expect(await written()).toEqual(before);
    });

    it('links an imported register row to the person on file when the keepers hold her, skips one they do not hold, and imports the rest', async () => {
      // 福祉課 (the register's keepers) holds the mother through the referral above; 長寿課 alone holds this man.
      const other = await api.as('choju-counselor').post('/api/v1/cases', { title: '名簿外', issues: ['care'], persons: [{ relation: '本人', familyName: '別人', givenName: '五郎', residentNumber: '000555' }] });
      expect(other.status).toBe(201);
      const rows = ['000123,山田 ハナ,ヤマダ ハナ,1946-04-01,つなぎ市緑町2-2,A,要介護4', '000555,別人 五郎,ベツジン ゴロウ,1940-03-03,つなぎ市本町5-5,A,要介護4', '000777,名簿 次郎,メイボ ジロウ,1940-02-02,つなぎ市本町7-7,A,要介護4'];
      const upload = await api.as('fukushi-counselor').post('/api/v1/evacuation-support/imports', Buffer.from([CSV_HEADER, ...rows].join('\r\n')) as unknown as object, { 'Content-Type': 'text/csv' });
      expect(upload.status).toBe(201);
      expect((await api.as('fukushi-counselor').post(`/api/v1/evacuation-support/imports/${upload.body.id}/actions/confirm`, {})).status).toBe(202);
      const done = { body: await importOutcome(() => api.as('fukushi-counselor').get(`/api/v1/evacuation-support/imports/${upload.body.id}`)) };
      expect(done.body).toMatchObject({ imported: 2, skippedRows: 1, skipped: [expect.objectContaining({ residentNumber: '000555' })] });
      const people = await t.sql<{ resident_number: string; n: number }>(`select resident_number, count(*)::int as n from persons where resident_number in ('000123', '000555', '000777') group by 1 order by 1`);
      expect(people).toEqual([{ resident_number: '000123', n: 1 }, { resident_number: '000555', n: 1 }, { resident_number: '000777', n: 1 }]);
      const [entry] = await t.sql(`select person_id from register_entries where resident_number = '000123'`);
      expect(entry).toEqual({ person_id: mother });
      const [denied] = await t.sql(`select outcome from audit_log where action = 'person.attach' and person_id = $1`, [other.body.persons[0].personId]);
      expect(denied).toEqual({ outcome: 'denied' });
    });
  });

  describe('a case’s household and issues change later', () => {
    const version = async () => (await api.as('choju-counselor').get(`/api/v1/cases/${caseId}`)).body.version as number;

    it('adds a new household member and a known one, on the version read (409 when stale), as events and audit rows', async () => {
      const v = await version();
      const added = await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/persons`, { version: v, person: { relation: '孫', familyName: '山田', givenName: '次郎', birthDate: '2005-05-05' } });
      expect(added.status).toBe(201);
      expect(added.body.version).toBe(v + 1);
      expect(added.body.persons).toHaveLength(3);
      expect((await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/persons`, { version: v, person: { relation: '孫', familyName: '山田', givenName: '三郎' } })).status).toBe(409);
      expect((await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/persons`, { version: v + 1, person: { personId: son, relation: '長男' } })).status).toBe(409);
      const timeline = await api.as('choju-counselor').get(`/api/v1/cases/${caseId}/timeline`);
      expect(JSON.stringify(timeline.body)).toContain('世帯員を追加（孫）');
    });

    it('removes a member with a reason, never the last one, and 404s a person not in the case', async () => {
      const grandchild = (await api.as('choju-counselor').get(`/api/v1/cases/${caseId}`)).body.persons.find((p: { relation: string }) => p.relation === '孫').id;
      const removed = await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/persons/${grandchild}/actions/remove`, { version: await version(), reason: '別世帯と判明' });
      expect(removed.status).toBe(200);
      expect(removed.body.persons.map((p: { personId: string }) => p.personId).sort()).toEqual([mother, son].sort());
      expect((await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/persons/${grandchild}/actions/remove`, { version: await version(), reason: '重複' })).status).toBe(404);
      expect((await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/persons/${son}/actions/remove`, { version: await version() })).status).toBe(400);
      const single = await api.as('choju-counselor').post('/api/v1/cases', { title: '単身', issues: ['care'], persons: [{ relation: '本人', familyName: '単身', givenName: '者' }] });
      const only = single.body.persons[0].personId;
      expect((await api.as('choju-counselor').post(`/api/v1/cases/${single.body.id}/persons/${only}/actions/remove`, { version: single.body.version, reason: '誤り' })).status).toBe(422);
      expect((await api.as('fukushi-counselor').post(`/api/v1/cases/${caseId}/persons/${son}/actions/remove`, { version: await version(), reason: 'x' })).status).toBe(404);
    });

    it('changes the issues and the 多機関協働 criteria are evaluated again', async () => {
      const res = await api.as('choju-counselor').put(`/api/v1/cases/${caseId}/issues`, { version: await version(), issues: ['care', '8050', 'hikikomori'], reason: '長男のひきこもりが判明' });
      expect(res.status).toBe(200);
      await settle(t);
      const detail = await api.as('choju-counselor').get(`/api/v1/cases/${caseId}`);
      expect(detail.body.issues.map((i: { code: string }) => i.code)).toEqual(['care', '8050', 'hikikomori']);
      expect(detail.body.coordination.status).toBe('candidate');
      expect(detail.body.coordination.evaluation.matched.map((m: { code: string }) => m.code)).toEqual(expect.arrayContaining(['pattern_8050', 'pattern_hikikomori']));
      const [event] = await t.sql(`select type, payload->'issues' as issues from domain_events where case_id = $1 and type = 'CaseIssuesChanged'`, [caseId]);
      expect(event).toEqual({ type: 'CaseIssuesChanged', issues: ['care', '8050', 'hikikomori'] });
      expect((await api.as('choju-counselor').put(`/api/v1/cases/${caseId}/issues`, { version: 1, issues: ['care'] })).status).toBe(409);
      expect((await api.as('choju-counselor').put(`/api/v1/cases/${caseId}/issues`, { version: await version(), issues: ['care', 'care'] })).status).toBe(400);
    });
  });
});
