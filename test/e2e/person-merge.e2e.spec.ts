import { accountId, departmentId } from '../../seeds/demo-data';
import { ApiClient } from '../support/api-client';
import { expectStablePaging } from '../support/paging';
import { startTestApp, type TestApp } from '../support/test-app';
import { importOutcome } from '../support/import-job';

const dept = (code: string) => departmentId('tsunagi-city', code);
const CSV_HEADER = '宛名番号,氏名,氏名カナ,生年月日,住所,地区,要介護度';

/**
 * 名寄せ: 長寿課 supports 山田ハナ in a case (no 宛名番号 given) and told 福祉課 her name and address in a
 * referral; 福祉課 then imported her from the resident register as a register candidate — a second record.
 * 福祉課 also named the register record in a case of its own and answered a 健康推進課 情報照会 about it.
 * 福祉課's manager, holding both records, merges the register record into the case record: everything
 * follows, the auditor's report follows, and the merge can be undone.
 */
describe('person merge (名寄せ)', () => {
  let t: TestApp;
  let api: ApiClient;
  let survivor: string;
  let duplicate: string;
  let fukushiCase: string;
  let fukushiReferral: string;
  let inquiry: string;
  let mergeId: string;
  let visit: string;

  const versionOf = async (id: string) => (await t.sql<{ version: number }>(`select version from persons where id = $1`, [id]))[0].version;
  const merge = (login: string, into: string, body: object, headers?: Record<string, string>) => api.as(login).post(`/api/v1/people/${into}/merges`, body, headers);
  const counts = async () => Object.fromEntries((await t.sql<{ what: string; n: number }>(
    `select 'merges' as what, count(*)::int as n from person_merges union all select 'moves', count(*)::int from person_merge_moves
     union all select 'tombstones', count(*)::int from persons where merged_into_id is not null`,
  )).map((r) => [r.what, r.n]));

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
    const opened = await api.as('choju-counselor').post('/api/v1/cases', {
      title: '高齢の母の相談',
      issues: ['care'],
      persons: [{ relation: '本人', familyName: '山田', givenName: 'ハナ', birthDate: '1946-04-01', address: 'つなぎ市本町1-1', phone: '090-1111-2222' }],
    });
    expect(opened.status).toBe(201);
    survivor = opened.body.persons[0].personId;
    const referral = await api.as('choju-counselor').post(`/api/v1/cases/${opened.body.id}/referrals`, {
      toDepartmentId: dept('fukushi'),
      purpose: '家計の相談',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '庁内の支援調整のため',
      share: { persons: [{ personId: survivor, fields: ['name', 'address'] }] },
    });
    expect(referral.status).toBe(201);

    const upload = await api.as('fukushi-counselor').post('/api/v1/evacuation-support/imports', Buffer.from([CSV_HEADER, '000777,山田 ハナ,ヤマダ ハナ,1946-04-01,つなぎ市本町1-1,A,要介護4'].join('\r\n')) as unknown as object, {
      'Content-Type': 'text/csv',
    });
    expect((await api.as('fukushi-counselor').post(`/api/v1/evacuation-support/imports/${upload.body.id}/actions/confirm`, {})).status).toBe(202);
    expect(await importOutcome(() => api.as('fukushi-counselor').get(`/api/v1/evacuation-support/imports/${upload.body.id}`))).toMatchObject({ imported: 1 });
    [{ person_id: duplicate }] = await t.sql<{ person_id: string }>(`select person_id from register_entries where resident_number = '000777'`);

    const own = await api.as('fukushi-counselor').post('/api/v1/cases', { title: '生活の相談', issues: ['poverty'], persons: [{ relation: '本人', personId: duplicate }] });
    expect(own.status).toBe(201);
    fukushiCase = own.body.id;
    // She came to 福祉課's window too (相談窓口の利用): the visit names the register record.
    const visited = await api.as('fukushi-counselor').post('/api/v1/participation/window-visits', { departmentId: dept('fukushi'), districtCode: 'A', personId: duplicate, caseId: fukushiCase, wishes: ['place'], outcome: 'proposed' });
    expect(visited.status).toBe(201);
    visit = visited.body.id;
    const onward = await api.as('fukushi-counselor').post(`/api/v1/cases/${fukushiCase}/referrals`, {
      toDepartmentId: dept('kenko'),
      purpose: '健康面の確認',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '庁内の支援調整のため',
      share: { persons: [{ personId: duplicate, fields: ['name'] }] },
    });
    expect(onward.status).toBe(201);
    fukushiReferral = onward.body.id;
    const asked = await api.as('kenko-counselor').post('/api/v1/information-requests', {
      personId: duplicate,
      toDepartmentId: dept('fukushi'),
      groups: ['basic'],
      purpose: '保健師の訪問のため',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '庁内での支援調整のため',
    });
    expect(asked.status).toBe(201);
    inquiry = asked.body.id;
    expect((await api.as('fukushi-counselor').post(`/api/v1/information-requests/${inquiry}/actions/approve`, { version: 1, groups: ['basic'] })).status).toBe(200);
    // Reads of the register record, to follow in the auditor's report.
    expect((await api.as('fukushi-counselor').get(`/api/v1/people/${duplicate}`)).status).toBe(200);
    expect((await api.as('kenko-counselor').get(`/api/v1/people/${survivor}`)).status).toBe(404);
  });
  afterAll(() => t.close());

  describe('refusals write nothing but their audit row', () => {
    it('refuses merging a record into itself (422, ja/en)', async () => {
      const before = await counts();
      const ja = await merge('fukushi-manager', survivor, { duplicateId: survivor, version: 1, duplicateVersion: 1, reason: '重複' });
      expect(ja.status).toBe(422);
      expect(ja.body.detail).toContain('統合できません');
      const en = await merge('fukushi-manager', survivor, { duplicateId: survivor, version: 1, duplicateVersion: 1, reason: '重複' }, { 'Accept-Language': 'en' });
      expect(en.body.detail).toContain('cannot be merged into itself');
      expect(await counts()).toEqual(before);
    });

    it('refuses a counselor (403, audited): merging is the manager’s', async () => {
      const res = await merge('fukushi-counselor', survivor, { duplicateId: duplicate, version: 1, duplicateVersion: 1, reason: '同一人' });
      expect(res.status).toBe(403);
      const [denied] = await t.sql(`select outcome from audit_log where request_id = $1`, [res.headers['x-request-id']]);
      expect(denied).toEqual({ outcome: 'denied' });
      expect((await counts()).merges).toBe(0);
    });

    it('answers 404 for a record the manager’s department does not hold, unknown ids and other municipalities’, never hinting which exists', async () => {
      // 長寿課 holds the case record, not the register record.
      const notHeld = await merge('choju-manager', survivor, { duplicateId: duplicate, version: await versionOf(survivor), duplicateVersion: await versionOf(duplicate), reason: '同一人' });
      expect(notHeld.status).toBe(404);
      const [row] = await t.sql(`select outcome, person_id from audit_log where request_id = $1 and action = 'person.merge'`, [notHeld.headers['x-request-id']]);
      expect(row).toEqual({ outcome: 'denied', person_id: duplicate });
      const unknown = await merge('fukushi-manager', survivor, { duplicateId: '00000000-0000-4000-8000-000000000000', version: 1, duplicateVersion: 1, reason: '同一人' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.detail).toBe(notHeld.body.detail);
      const elsewhere = await api.as('other-city-counselor').post('/api/v1/cases', { title: '隣町', issues: ['care'], persons: [{ relation: '本人', familyName: '隣', givenName: '町子' }] });
      const otherTenant = await merge('fukushi-manager', survivor, { duplicateId: elsewhere.body.persons[0].personId, version: 1, duplicateVersion: 1, reason: '同一人' });
      expect(otherTenant.status).toBe(404);
      expect((await counts()).merges).toBe(0);
    });

    it('refuses a stale version of either record (409 with the current version)', async () => {
      const current = await versionOf(survivor);
      const stale = await merge('fukushi-manager', survivor, { duplicateId: duplicate, version: current + 5, duplicateVersion: await versionOf(duplicate), reason: '同一人' });
      expect(stale.status).toBe(409);
      expect(stale.body.currentVersion).toBe(current);
      const staleDuplicate = await merge('fukushi-manager', survivor, { duplicateId: duplicate, version: current, duplicateVersion: 99, reason: '同一人' });
      expect(staleDuplicate.status).toBe(409);
      expect((await counts()).merges).toBe(0);
    });
  });

  describe('福祉課’s manager merges the register record into the case record', () => {
    it('merges: the survivor keeps its values, every reference of the duplicate moves, the duplicate becomes a tombstone', async () => {
      const before = await versionOf(survivor);
      const res = await merge('fukushi-manager', survivor, { duplicateId: duplicate, duplicateVersion: await versionOf(duplicate), reason: '名簿の記録とケースの記録が同一人と確認' }, { 'If-Match': String(before) });
      expect(res.status).toBe(201);
      expect(await versionOf(survivor)).toBe(before + 1);
      expect(res.body).toMatchObject({ survivingPersonId: survivor, mergedPersonId: duplicate, departmentId: dept('fukushi'), state: 'merged', version: 1 });
      expect(res.body.moved).toMatchObject({ case_persons: 1, disclosures: 2, information_requests: 1, register_entries: 1, referrals: 1, participation_window_visits: 1 });
      expect(await t.sql(`select person_id from participation_window_visits where id = $1`, [visit])).toEqual([{ person_id: survivor }]);
      mergeId = res.body.id;
      const [entry] = await t.sql(`select person_id from register_entries where resident_number = '000777'`);
      expect(entry).toEqual({ person_id: survivor });
      const [tombstone] = await t.sql(`select merged_into_id from persons where id = $1`, [duplicate]);
      expect(tombstone).toEqual({ merged_into_id: survivor });
      const [event] = await t.sql(`select type, aggregate_id from domain_events where aggregate_type = 'PersonMerge'`);
      expect(event).toEqual({ type: 'PersonMerged', aggregate_id: mergeId });
    });

    it('answers 404 for the tombstone to everyone, and shows the survivor with its own values', async () => {
      expect((await api.as('fukushi-manager').get(`/api/v1/people/${duplicate}`)).status).toBe(404);
      expect((await api.as('fukushi-counselor').get(`/api/v1/people/${duplicate}`)).status).toBe(404);
      const read = await api.as('choju-counselor').get(`/api/v1/people/${survivor}`);
      expect(read.body).toMatchObject({ id: survivor, address: 'つなぎ市本町1-1', phone: '090-1111-2222', residentNumber: null });
    });

    it('moves the case, the 情報照会 and its receipt: 福祉課’s case names the survivor, 健康推進課 reads exactly the basic fields disclosed', async () => {
      const own = await api.as('fukushi-counselor').get(`/api/v1/cases/${fukushiCase}`);
      expect(own.body.persons.map((p: { id: string }) => p.id)).toEqual([survivor]);
      const kenko = await api.as('kenko-counselor').get(`/api/v1/people/${survivor}`);
      expect(kenko.status).toBe(200);
      expect(kenko.body).toMatchObject({ name: { family: '山田', given: 'ハナ' }, address: null, phone: null });
      const [request] = await t.sql(`select person_id from information_requests where id = $1`, [inquiry]);
      expect(request).toEqual({ person_id: survivor });
      const onward = await api.as('kenko-counselor').get(`/api/v1/referrals/${fukushiReferral}`);
      expect(onward.body.shared.persons).toEqual([expect.objectContaining({ personId: survivor, name: { family: '山田', given: 'ハナ' } })]);
    });

    it('lists the register entry under the survivor', async () => {
      const entries = await api.as('fukushi-counselor').get('/api/v1/evacuation-support/entries');
      expect(entries.body.items.map((e: { personId: string }) => e.personId)).toEqual([survivor]);
    });

    it('lets the auditor find the duplicate’s audit rows under the survivor (the log itself untouched and still verifying)', async () => {
      const report = await api.as('auditor').get(`/api/v1/audit/persons/${survivor}`);
      expect(report.status).toBe(200);
      expect(report.body.reads.items.some((r: { action: string; actorId: string }) => r.action === 'person.read' && r.actorId)).toBe(true);
      const [{ n: dupReads }] = await t.sql<{ n: number }>(`select count(*)::int as n from audit_log where person_id = $1 and action = 'person.read'`, [duplicate]);
      expect(dupReads).toBeGreaterThan(0);
      expect(report.body.disclosures.items.map((d: { recipientId: string }) => d.recipientId)).toEqual(expect.arrayContaining([dept('fukushi'), dept('kenko')]));
      const search = await api.as('auditor').get(`/api/v1/audit/entries?personId=${survivor}&action=person.read&limit=200`);
      const persons = new Set(search.body.items.map((e: { personId: string }) => e.personId));
      expect(persons).toEqual(new Set([survivor, duplicate]));
      const merged = await api.as('auditor').get(`/api/v1/audit/entries?personId=${duplicate}&action=person.merge&outcome=allowed`);
      expect(merged.body.items).toEqual([expect.objectContaining({ personId: duplicate, outcome: 'allowed' })]);
      expect((await api.as('auditor').get('/api/v1/audit/verify')).body.ok).toBe(true);
    });

    it('links a new intake by the duplicate’s 宛名番号 to the survivor, and the intake check answers the survivor’s holders', async () => {
      const opened = await api.as('choju-counselor').post('/api/v1/cases', { title: '再相談', issues: ['care'], persons: [{ relation: '本人', familyName: '山田', givenName: 'ハナ', residentNumber: '000777' }] });
      expect(opened.status).toBe(201);
      expect(opened.body.persons).toEqual([{ personId: survivor, relation: '本人' }]);
      const check = await api.as('kodomo-katei-counselor').post('/api/v1/people/intake-checks', { residentNumber: '000777', reason: '受付前の確認' });
      expect(check.body.known).toBe(true);
      expect(check.body.departments.map((d: { code: string }) => d.code).sort()).toEqual(['choju', 'fukushi', 'kenko']);
      const [{ n }] = await t.sql<{ n: number }>(`select count(*)::int as n from persons where family_name = '山田' and given_name = 'ハナ'`);
      expect(n).toBe(2);
    });
  });

  describe('undo', () => {
    it('refuses a stale merge version (409), a counselor (403) and a manager whose department does not hold the survivor (404)', async () => {
      expect((await api.as('fukushi-manager').post(`/api/v1/people/merges/${mergeId}/undo`, { version: 7, reason: '誤り' })).status).toBe(409);
      expect((await api.as('kenko-counselor').post(`/api/v1/people/merges/${mergeId}/undo`, { version: 1, reason: '誤り' })).status).toBe(403);
      expect((await api.as('kyosei-manager').post(`/api/v1/people/merges/${mergeId}/undo`, { version: 1, reason: '誤り' })).status).toBe(404);
      const [{ state }] = await t.sql<{ state: string }>(`select state from person_merges where id = $1`, [mergeId]);
      expect(state).toBe('merged');
    });

    it('restores exactly the references that moved; what was made to the survivor since stays', async () => {
      const res = await api.as('fukushi-manager').post(`/api/v1/people/merges/${mergeId}/undo`, { version: 1, reason: '別人と判明' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'undone', undoReason: '別人と判明', version: 2 });
      const [entry] = await t.sql(`select person_id from register_entries where resident_number = '000777'`);
      expect(entry).toEqual({ person_id: duplicate });
      expect(await t.sql(`select person_id from participation_window_visits where id = $1`, [visit])).toEqual([{ person_id: duplicate }]);
      expect((await api.as('fukushi-counselor').get(`/api/v1/cases/${fukushiCase}`)).body.persons.map((p: { id: string }) => p.id)).toEqual([duplicate]);
      expect((await api.as('kenko-counselor').get(`/api/v1/people/${survivor}`)).status).toBe(404);
      expect((await api.as('kenko-counselor').get(`/api/v1/people/${duplicate}`)).status).toBe(200);
      expect((await api.as('fukushi-manager').get(`/api/v1/people/${duplicate}`)).status).toBe(200);
      const [{ shared }] = await t.sql<{ shared: { persons: { personId: string }[] } }>(`select shared from referrals where id = $1`, [fukushiReferral]);
      expect(shared.persons.map((p) => p.personId)).toEqual([duplicate]);
      const [{ n }] = await t.sql<{ n: number }>(`select count(*)::int as n from case_persons cp join cases c on c.id = cp.case_id where c.title = '再相談' and cp.person_id = $1`, [survivor]);
      expect(n).toBe(1);
      const search = await api.as('auditor').get(`/api/v1/audit/entries?personId=${survivor}&action=person.read&limit=200`);
      expect(new Set(search.body.items.map((e: { personId: string }) => e.personId))).toEqual(new Set([survivor]));
    });

    it('refuses a second undo (409)', async () => {
      expect((await api.as('fukushi-manager').post(`/api/v1/people/merges/${mergeId}/undo`, { version: 2, reason: '再度' })).status).toBe(409);
    });

    it('refuses an undo after the period (422, ja/en)', async () => {
      const again = await merge('fukushi-manager', survivor, { duplicateId: duplicate, version: await versionOf(survivor), duplicateVersion: await versionOf(duplicate), reason: '同一人と再確認' });
      expect(again.status).toBe(201);
      await t.sql(`update person_merges set undo_until = now() - interval '1 day' where id = $1`, [again.body.id]);
      const late = await api.as('fukushi-manager').post(`/api/v1/people/merges/${again.body.id}/undo`, { version: 1, reason: '誤り' }, { 'Accept-Language': 'en' });
      expect(late.status).toBe(422);
      expect(late.body.detail).toContain('period');
    });
  });

  describe('the merges into a record', () => {
    /** 福祉課 registers her once more by mistake: a record 福祉課 collected, merged into the survivor. */
    const mergeAnother = async () => {
      const opened = await api.as('fukushi-counselor').post('/api/v1/cases', { title: '再登録', issues: ['poverty'], persons: [{ relation: '本人', familyName: '山田', givenName: 'はな' }] });
      const duplicateId = opened.body.persons[0].personId;
      const res = await merge('fukushi-manager', survivor, { duplicateId, version: await versionOf(survivor), duplicateVersion: 1, reason: '重複登録' });
      expect(res.status).toBe(201);
      return undefined;
    };

    it('lists them newest first to the managers who may undo them, in stable pages; 404 to a manager not holding the record', async () => {
      const list = await api.as('fukushi-manager').get(`/api/v1/people/${survivor}/merges`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((m: { state: string; mergedPersonId: string }) => [m.state, m.mergedPersonId])).toEqual([
        ['merged', duplicate],
        ['undone', duplicate],
      ]);
      expect(list.body.items[1].moved).toMatchObject({ register_entries: 1 });
      await mergeAnother();
      await expectStablePaging({
        page: async (cursor, limit) => (await api.as('fukushi-manager').get(`/api/v1/people/${survivor}/merges?${new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) })}`)).body,
        insert: mergeAnother,
        addedSortLast: false,
      });
      expect((await api.as('kyosei-manager').get(`/api/v1/people/${survivor}/merges`)).status).toBe(404);
      expect((await api.as('fukushi-counselor').get(`/api/v1/people/${survivor}/merges`)).status).toBe(403);
    });
  });

  describe('a chain of merges', () => {
    it('follows the chain in the audit log and for a 宛名番号, and undoes the later merge first (422 otherwise)', async () => {
      const pair = await api.as('choju-counselor').post('/api/v1/cases', {
        title: '三重登録',
        issues: ['care'],
        persons: [
          { relation: '本人', familyName: '鎖', givenName: '一子' },
          { relation: '本人（重複）', familyName: '鎖', givenName: 'かずこ', residentNumber: '000901' },
          { relation: '本人（重複2）', familyName: '鎖', givenName: 'カズコ' },
        ],
      });
      const [c, b, a] = pair.body.persons.map((p: { personId: string }) => p.personId);
      const first = await merge('choju-manager', b, { duplicateId: a, version: 1, duplicateVersion: 1, reason: '重複' });
      expect(first.status).toBe(201);
      expect((await merge('choju-manager', c, { duplicateId: b, version: 1, duplicateVersion: await versionOf(b), reason: '重複' })).status).toBe(201);
      expect((await api.as('choju-counselor').get(`/api/v1/people/${a}`)).status).toBe(404);
      const [{ aliases }] = await t.sql<{ aliases: string[] }>(`select person_aliases($1::uuid)::text[] as aliases`, [c]);
      expect([...aliases].sort()).toEqual([a, b, c].sort());
      const linked = await api.as('choju-counselor').post('/api/v1/cases', { title: '再相談', issues: ['care'], persons: [{ relation: '本人', familyName: '鎖', givenName: '一子', residentNumber: '000901' }] });
      expect(linked.body.persons).toEqual([{ personId: c, relation: '本人' }]);
      const early = await api.as('choju-manager').post(`/api/v1/people/merges/${first.body.id}/undo`, { version: 1, reason: '誤り' });
      expect(early.status).toBe(422);
      expect(early.body.detail).toContain('後の名寄せ');
    });
  });

  describe('DV等支援措置 is never lost in a merge', () => {
    it('protects the survivor when the duplicate was protected, and gives the protection back to the duplicate alone on undo', async () => {
      const opened = await api.as('kodomo-katei-counselor').post('/api/v1/cases', {
        title: '母子の相談',
        issues: ['dv'],
        persons: [
          { relation: '本人', familyName: '保護', givenName: '花子', address: '秘匿町1-1', dvProtected: true },
          { relation: '本人（重複）', familyName: '保護', givenName: 'はなこ', phone: '090-9999-0000' },
        ],
      });
      expect(opened.status).toBe(201);
      const [protectedOne, plain] = opened.body.persons.map((p: { personId: string }) => p.personId);
      // 子ども家庭課 has no manager among the demo logins: its counselor is made its manager too, for this test.
      await t.sql(`insert into role_assignments (id, tenant_id, staff_id, role, department_id) select gen_random_uuid(), tenant_id, id, 'manager', $2 from staff where id = $1`, [
        accountId('kodomo-katei-counselor'),
        dept('kodomo-katei'),
      ]);
      const res = await merge('kodomo-katei-counselor', plain, { duplicateId: protectedOne, version: 1, duplicateVersion: 1, reason: '同一人と確認' });
      expect(res.status).toBe(201);
      const [after] = await t.sql(`select person_dv_protectors(id) is not null as dv_protected from persons where id = $1`, [plain]);
      expect(after).toEqual({ dv_protected: true });
      expect((await api.as('kodomo-katei-counselor').post(`/api/v1/people/merges/${res.body.id}/undo`, { version: 1, reason: '別人と判明' })).status).toBe(200);
      const restored = await t.sql(`select id, person_dv_protectors(id) is not null as dv_protected from persons where id in ($1, $2) order by 2`, [plain, protectedOne]);
      expect(restored).toEqual([{ id: plain, dv_protected: false }, { id: protectedOne, dv_protected: true }]);
    });
  });
});
