import { CommandBus } from '@nestjs/cqrs';
import { accountId, departmentId } from '../../seeds/demo-data';
import { SweepDvMeasuresCommand } from '../../src/modules/people/commands/dv-measures/sweep-dv-measures';
import { addToDate } from '../../src/modules/people/domain/dv-measure.schemas';
import { startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);
const KODOMO = 'kodomo-katei-counselor';
const CHOJU = 'choju-counselor';
const CHOJU_MANAGER = 'choju-manager';
/** ASCII inside the children's address: found in any view that leaks it. */
const CHILD_TOKEN = 'storykid5x9';
const CHILD_ADDRESS = `つなぎ市若葉町 ${CHILD_TOKEN} 5-5`;
const BASIC_FIELDS = ['name', 'kana', 'birthDate', 'sex'];

/**
 * The issue's story, told once over HTTP with the demo logins. 長寿課 supports 青葉美咲, a mother caring for
 * her children and her own mother (ダブルケア), in a case naming her household. A 子ども家庭課 counselor asks at
 * intake whether she is known (only 長寿課 is named), asks 長寿課 by 情報照会 for her basic and contact fields,
 * and 長寿課 approves only basic: that is exactly what the new case shows. 長寿課 corrects her address (history
 * old → new); her register entry, written as a second record, is merged into her case record; a DV等支援措置
 * covering her household, asked for by one and approved by another, withholds her children's address in every
 * view from all but the protector, and lapses into a renewal task.
 */
describe('people: the story of issue 11', () => {
  let t: TestApp;
  let mother: string;
  let son: string;
  let daughter: string;
  let chojuCase: string;
  let kodomoCase: string;
  let referralId: string;
  let childEntry: string;
  let registerRecord: string;
  let motherEntry: string;
  let measure: { id: string; version: number; endsOn: string };

  const api = (login: string) => t.api(login);
  const sweep = (today: string) => t.app.get(CommandBus).execute(new SweepDvMeasuresCommand(today)) as Promise<{ renewalsDue: number; lapsed: number }>;
  const versionOf = async (id: string) => (await t.sql<{ version: number }>(`select version from persons where id = $1`, [id]))[0].version;

  /** The children's records in every view a non-protector may open: what each says of their address. */
  const childViews = async () => {
    const views: { who: string; address: unknown; withheld: string[]; text: string }[] = [];
    const seen = (who: string, person: { address?: unknown; withheldFields: string[] } | undefined, text: string) =>
      views.push({ who, address: person?.address, withheld: person?.withheldFields ?? [], text });
    const ownCase = await api(CHOJU_MANAGER).GET('/api/v1/cases/{id}', { params: { path: { id: chojuCase } } });
    for (const child of [son, daughter]) seen(`case ${child === son ? 'son' : 'daughter'}`, ownCase.data!.persons.find((p) => p.id === child), JSON.stringify(ownCase.data));
    for (const child of [son, daughter]) {
      const person = await api(CHOJU_MANAGER).GET('/api/v1/people/{id}', { params: { path: { id: child } } });
      seen(`person ${child === son ? 'son' : 'daughter'}`, person.data, JSON.stringify(person.data));
    }
    const referral = await api('fukushi-counselor').GET('/api/v1/referrals/{id}', { params: { path: { id: referralId } } });
    seen('referral package', referral.data!.shared.persons?.find((p) => p.personId === daughter), JSON.stringify(referral.data));
    const rostered = await api('fukushi-counselor').GET('/api/v1/evacuation-support/roster/{personId}', { params: { path: { personId: daughter } } });
    seen('roster row', rostered.data, JSON.stringify(rostered.data));
    const roster = await api('fukushi-counselor').GET('/api/v1/evacuation-support/roster', {});
    seen('roster page', roster.data!.items.find((r) => r.personId === daughter), JSON.stringify(roster.data));
    const entry = await api('fukushi-counselor').GET('/api/v1/evacuation-support/entries/{id}', { params: { path: { id: childEntry } } });
    seen('register entry', entry.data, JSON.stringify(entry.data));
    return views;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const opened = await api(CHOJU).POST('/api/v1/cases', {
      body: {
        title: 'ダブルケアの母の支援',
        issues: ['double_care'],
        household: { name: '青葉世帯' },
        persons: [
          { relation: '本人', familyName: '青葉', givenName: '美咲', familyNameKana: 'アオバ', givenNameKana: 'ミサキ', birthDate: '1984-06-06', sex: 'female', address: 'つなぎ市若葉町5-5', phone: '090-5555-6666' },
          { relation: '長男', familyName: '青葉', givenName: '蓮', birthDate: '2016-04-04', sex: 'male', address: CHILD_ADDRESS },
          { relation: '長女', familyName: '青葉', givenName: '葵', birthDate: '2019-09-09', sex: 'female', address: CHILD_ADDRESS },
        ],
      },
    });
    expect(opened.response.status).toBe(201);
    chojuCase = opened.data!.id;
    [mother, son, daughter] = opened.data!.persons.map((p) => p.personId);
    // Before any measure: 福祉課 holds the daughter's name and address from a referral, and she is on the register.
    const referred = await api(CHOJU).POST('/api/v1/cases/{id}/referrals', {
      params: { path: { id: chojuCase } },
      body: {
        toDepartmentId: dept('fukushi'),
        purpose: '子の見守り',
        legalBasis: 'APPI_INTERNAL',
        legalBasisReason: '庁内での支援調整のため',
        share: { case: ['issues'], persons: [{ personId: daughter, fields: ['name', 'address'] }] },
      },
    });
    expect(referred.response.status).toBe(201);
    referralId = referred.data!.id;
    expect((await api('fukushi-counselor').POST('/api/v1/referrals/{id}/actions/{action}', { params: { path: { id: referralId, action: 'accept' } }, body: { version: 1 } })).response.status).toBe(200);
    const entry = await api(CHOJU).POST('/api/v1/evacuation-support/entries', { body: { source: 'application', personId: daughter, districtCode: 'A', facts: { physicalHandbookGrade: 1 } } });
    expect(entry.response.status).toBe(201);
    childEntry = entry.data!.id;
    const registered = await api('fukushi-counselor').POST('/api/v1/evacuation-support/entries/{id}/actions/{action}', {
      params: { path: { id: childEntry, action: 'register' } },
      body: { version: entry.data!.version, provision: 'consent' },
    });
    expect(registered.response.status).toBe(200);
  });
  afterAll(() => t.close());

  it('1. the intake check names 長寿課 and nothing else, and audits its reason', async () => {
    const check = await api(KODOMO).POST('/api/v1/people/intake-checks', { body: { familyName: '青葉', givenName: '美咲', birthDate: '1984-06-06', reason: '子の相談で母の支援状況を確認' } });
    expect(check.response.status).toBe(200);
    expect(check.data).toEqual({ known: true, departments: [{ id: dept('choju'), code: 'choju', name: '長寿課' }] });
    const text = JSON.stringify(check.data);
    for (const personal of [mother, '美咲', '青葉', '1984', '若葉町', '090-', 'female']) expect(text).not.toContain(personal);
    const [row] = await t.sql(`select outcome, person_id, detail->>'reason' as reason from audit_log where action = 'person.intake-check' and request_id = $1`, [check.response.headers.get('x-request-id')]);
    expect(row).toEqual({ outcome: 'allowed', person_id: mother, reason: '子の相談で母の支援状況を確認' });
    expect((await api(KODOMO).GET('/api/v1/people/{id}', { params: { path: { id: mother } } })).response.status).toBe(404);
  });

  it('2. a 情報照会 for basic and contact, approved for basic only: the new case shows exactly the basic fields, with a receipt', async () => {
    const own = await api(KODOMO).POST('/api/v1/cases', { body: { title: '子の養育相談', issues: ['childcare'], persons: [{ relation: '本人', familyName: '青葉', givenName: '陽' }] } });
    expect(own.response.status).toBe(201);
    kodomoCase = own.data!.id;
    // The intake check gave no id: 子ども家庭課 names her by the same terms.
    const asked = await api(KODOMO).POST('/api/v1/information-requests', {
      body: {
        person: { familyName: '青葉', givenName: '美咲', birthDate: '1984-06-06' },
        toDepartmentId: dept('choju'),
        groups: ['basic', 'contact'],
        purpose: '子の養育相談で母の状況を確認するため',
        legalBasis: 'APPI_INTERNAL',
        legalBasisReason: '庁内での支援調整のため',
        caseId: kodomoCase,
        relation: '母',
      },
    });
    expect(asked.response.status).toBe(201);
    expect(asked.data).toMatchObject({ personId: mother, state: 'requested', requestedGroups: ['basic', 'contact'] });
    const approved = await api(CHOJU).POST('/api/v1/information-requests/{id}/actions/{action}', {
      params: { path: { id: asked.data!.id, action: 'approve' } },
      body: { version: asked.data!.version, groups: ['basic'] },
    });
    expect(approved.response.status).toBe(200);
    expect(approved.data).toMatchObject({ state: 'approved', approvedGroups: ['basic'], approvedFields: BASIC_FIELDS });
    const receipts = await t.sql(`select fields, recipient_id, person_id from disclosures where information_request_id = $1`, [asked.data!.id]);
    expect(receipts).toEqual([{ fields: BASIC_FIELDS, recipient_id: dept('kodomo-katei'), person_id: mother }]);

    const shown = await api(KODOMO).GET('/api/v1/cases/{id}', { params: { path: { id: kodomoCase } } });
    expect(shown.data!.persons.map((p) => [p.relation, p.id])).toEqual(expect.arrayContaining([['母', mother]]));
    const seen = shown.data!.persons.find((p) => p.id === mother)!;
    const present = Object.entries(seen).filter(([k, v]) => v !== null && v !== undefined && !['id', 'relation', 'version', 'withheldFields', 'contactWithheld'].includes(k)).map(([k]) => k);
    expect(present.sort()).toEqual([...BASIC_FIELDS].sort());
    expect(seen.withheldFields).toEqual(expect.arrayContaining(['address', 'phone', 'email']));
    expect(seen).toMatchObject({ name: { family: '青葉', given: '美咲' }, kana: { family: 'アオバ', given: 'ミサキ' }, birthDate: '1984-06-06', sex: 'female' });
    expect(JSON.stringify(shown.data)).not.toContain('若葉町');
    expect(JSON.stringify(shown.data)).not.toContain('090-5555-6666');
    const person = await api(KODOMO).GET('/api/v1/people/{id}', { params: { path: { id: mother } } });
    expect(person.data).toMatchObject({ birthDate: '1984-06-06', address: null, phone: null, email: null });
    expect(person.data!.withheldFields).toEqual(expect.arrayContaining(['address', 'phone', 'email']));
  });

  it('3. 長寿課 corrects her address on the version read; the history shows old → new, and 子ども家庭課 still sees no address', async () => {
    const before = await api(CHOJU).GET('/api/v1/people/{id}', { params: { path: { id: mother } } });
    expect(before.data).toMatchObject({ address: 'つなぎ市若葉町5-5' });
    const corrected = await api(CHOJU).PATCH('/api/v1/people/{id}', { params: { path: { id: mother } }, body: { version: before.data!.version, address: 'つなぎ市緑町7-7', reason: '転居の届出' } });
    expect(corrected.response.status).toBe(200);
    expect(corrected.data).toEqual({ id: mother, version: before.data!.version + 1, changed: ['address'] });
    const history = await api(CHOJU).GET('/api/v1/people/{id}/history', { params: { path: { id: mother } } });
    expect(history.data!.items).toEqual([
      expect.objectContaining({ field: 'address', old: 'つなぎ市若葉町5-5', new: 'つなぎ市緑町7-7', reason: '転居の届出', departmentId: dept('choju'), version: before.data!.version + 1 }),
    ]);
    expect((await api(KODOMO).GET('/api/v1/people/{id}', { params: { path: { id: mother } } })).data).toMatchObject({ address: null });
  });

  it('4. her register entry, written as a second record, is merged into her case record: the entry follows, the duplicate is gone', async () => {
    const entry = await api(CHOJU).POST('/api/v1/evacuation-support/entries', {
      body: { source: 'survey', person: { familyName: '青葉', givenName: 'みさき', birthDate: '1984-06-06', address: 'つなぎ市緑町7-7' }, districtCode: 'A', facts: { physicalHandbookGrade: 2 } },
    });
    expect(entry.response.status).toBe(201);
    motherEntry = entry.data!.id;
    // The register is kept by 福祉課: it reads the entry, and the record 長寿課 wrote with it.
    registerRecord = (await api('fukushi-counselor').GET('/api/v1/evacuation-support/entries/{id}', { params: { path: { id: motherEntry } } })).data!.personId;
    expect(registerRecord).not.toBe(mother);
    expect((await api(CHOJU).POST('/api/v1/people/{id}/merges', { params: { path: { id: mother } }, body: { duplicateId: registerRecord, version: await versionOf(mother), duplicateVersion: await versionOf(registerRecord), reason: '同一人' } })).response.status).toBe(403);
    const merged = await api(CHOJU_MANAGER).POST('/api/v1/people/{id}/merges', {
      params: { path: { id: mother } },
      body: { duplicateId: registerRecord, version: await versionOf(mother), duplicateVersion: await versionOf(registerRecord), reason: '名簿の記録とケースの記録が同一人と確認' },
    });
    expect(merged.response.status).toBe(201);
    expect(merged.data).toMatchObject({ survivingPersonId: mother, mergedPersonId: registerRecord, departmentId: dept('choju'), state: 'merged' });
    expect(merged.data!.moved).toMatchObject({ register_entries: 1 });
    expect((await api('fukushi-counselor').GET('/api/v1/evacuation-support/entries/{id}', { params: { path: { id: motherEntry } } })).data).toMatchObject({ personId: mother, address: 'つなぎ市緑町7-7' });
    expect((await api(CHOJU).GET('/api/v1/people/{id}', { params: { path: { id: registerRecord } } })).response.status).toBe(404);
    // The survivor keeps its own values and its household.
    expect((await api(CHOJU).GET('/api/v1/people/{id}', { params: { path: { id: mother } } })).data).toMatchObject({ name: { family: '青葉', given: '美咲' }, address: 'つなぎ市緑町7-7' });
    // 子ども家庭課's case still names her, with exactly what was disclosed.
    const kodomo = (await api(KODOMO).GET('/api/v1/cases/{id}', { params: { path: { id: kodomoCase } } })).data!.persons.find((p) => p.relation === '母');
    expect(kodomo).toMatchObject({ id: mother, birthDate: '1984-06-06', withheldFields: expect.arrayContaining(['address', 'phone']) });
    expect(kodomo!.address ?? null).toBeNull();
    const merges = await api(CHOJU_MANAGER).GET('/api/v1/people/{id}/merges', { params: { path: { id: mother } } });
    expect(merges.data!.items.map((m) => [m.mergedPersonId, m.state])).toEqual([[registerRecord, 'merged']]);
  });

  it('5. before any measure, every view shows the children’s address (so the checks below can fail)', async () => {
    const views = await childViews();
    expect(views.filter((v) => v.address !== CHILD_ADDRESS).map((v) => v.who)).toEqual([]);
  });

  it('6. a DV flag with household coverage, asked for by the counselor and approved by the manager, withholds the children’s address everywhere but from the protector', async () => {
    const asked = await api(CHOJU).POST('/api/v1/people/{id}/dv-measures', { params: { path: { id: mother } }, body: { reason: '配偶者からの暴力のため避難中', coversHousehold: true } });
    expect(asked.response.status).toBe(201);
    expect(asked.data).toMatchObject({ state: 'requested', coversHousehold: true, protectorIds: [accountId(CHOJU)] });
    const act = (login: string, action: 'approve', version: number) =>
      api(login).POST('/api/v1/people/{id}/dv-measures/{dvMeasureId}/actions/{action}', { params: { path: { id: mother, dvMeasureId: asked.data!.id, action } }, body: { version } });
    expect((await act(CHOJU, 'approve', asked.data!.version)).response.status).toBe(422);
    const approved = await act(CHOJU_MANAGER, 'approve', asked.data!.version);
    expect(approved.response.status).toBe(200);
    expect(approved.data).toMatchObject({ state: 'active', requestedBy: accountId(CHOJU), decidedBy: accountId(CHOJU_MANAGER) });
    measure = approved.data!;

    const views = await childViews();
    expect(views.map((v) => [v.who, v.address ?? null, v.withheld.includes('address'), v.text.includes(CHILD_TOKEN)])).toEqual(views.map((v) => [v.who, null, true, false]));
    // The protector still sees them; 子ども家庭課 is told nothing new (the intake check does not mention the address).
    for (const child of [son, daughter]) expect((await api(CHOJU).GET('/api/v1/people/{id}', { params: { path: { id: child } } })).data).toMatchObject({ address: CHILD_ADDRESS });
  });

  it('7. the measure raises a renewal task before its end, and lapses after it: then the address shows again', async () => {
    const due = addToDate(measure.endsOn, { days: -10 });
    const renewals = async (login: string) => (await api(login).GET('/api/v1/people/dv-measures/renewals-due', {})).data!.items.map((m) => [m.id, m.renewalDueOn]);
    expect((await sweep(addToDate(measure.endsOn, { days: -40 }))).renewalsDue).toBe(0);
    expect(await renewals(CHOJU)).toEqual([]);
    expect((await sweep(due)).renewalsDue).toBe(1);
    expect(await renewals(CHOJU)).toEqual([[measure.id, due]]);
    expect(await renewals(CHOJU_MANAGER)).toEqual([[measure.id, due]]);
    expect(await renewals(KODOMO)).toEqual([]);
    expect((await childViews()).filter((v) => v.address !== null && v.address !== undefined).map((v) => v.who)).toEqual([]);

    expect((await sweep(measure.endsOn)).lapsed).toBe(0);
    expect((await sweep(addToDate(measure.endsOn, { days: 1 }))).lapsed).toBe(1);
    const listed = await api(CHOJU_MANAGER).GET('/api/v1/people/{id}/dv-measures', { params: { path: { id: mother } } });
    expect(listed.data!.items.map((m) => [m.id, m.state])).toEqual([[measure.id, 'lapsed']]);
    expect(await renewals(CHOJU)).toEqual([]);
    const history = await t.sql<{ type: string }>(`select type from domain_events where aggregate_id = $1 order by aggregate_version`, [measure.id]);
    expect(history.map((e) => e.type)).toEqual(['DvMeasureRequested', 'DvMeasureApproved', 'DvMeasureRenewalDue', 'DvMeasureLapsed']);
    expect((await childViews()).filter((v) => v.address !== CHILD_ADDRESS).map((v) => v.who)).toEqual([]);
  });
});
