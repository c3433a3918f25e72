import { randomBytes } from 'node:crypto';
import { todayInJapan } from '../../src/platform/calendar/today';
import { accountId, DEMO_ACCOUNTS, DEMO_TENANTS, departmentId, type DemoStaff } from '../../seeds/demo-data';
import { settle } from './projections';
import { bearer, type TestApp } from './test-app';

const CITY = 'tsunagi-city';
const LEAD = 'choju';
const OPENER = 'choju-counselor';
const NAMED_PROTECTOR = 'choju-manager';

/** A value planted in the fixture that only some logins may ever be answered with. */
export interface Marker {
  label: string;
  /** ASCII, inside the value: found whatever the encoding, JSON escaping or CSV quoting of the response. */
  token: string;
  value: string;
  /** The logins whose responses may carry it; every other response must not. */
  mayReadIt: ReadonlySet<string>;
  because: string;
}

/** Ids the fixture made, by kind, to fill route parameters with. */
export type IdPool = Record<string, string[]>;

export interface ProtectedPersonFixture {
  markers: Marker[];
  pool: IdPool;
  /** Readable names of the main ids, for reports. */
  names: Map<string, string>;
  /** Every answer the fixture's own calls got (writes included), by login: scanned like the reads. */
  calls: { login: string; request: string; status: number; text: string }[];
}

type Method = 'get' | 'post' | 'put';

/**
 * A household in every place personal data goes, made through the API as staff would: a case led by 長寿課
 * with a person under DV等支援措置 (address, phone, email, disability, medical history) and an unprotected
 * son (medical history), and her grandchild (address, withheld once a household-covering measure is set); consent and a referral to 福祉課 sharing the son's name and address, a referral
 * to 健康推進課 with her name; escalation to 多機関協働, a 支援会議 sharing the case, a 支援プラン with tasks;
 * both in the 避難行動要支援者 register (hers on a neighbour's request), registered with consent, with
 * 個別避難計画, a disaster over her 地区; the son connected to a 通いの場 (her contacts refused); an import, a renewal, an audited access grant and a chain
 * verification. Then what departments holding a person id might try: opening a case naming them.
 * Every marker carries the run's random token, so it cannot match anything else in the database.
 */
export async function protectedPersonFixture(t: TestApp): Promise<ProtectedPersonFixture> {
  const run = `lk${randomBytes(4).toString('hex')}`;
  const tokens = new Map<string, string>();
  const calls: ProtectedPersonFixture['calls'] = [];
  const call = async (login: string, method: Method, path: string, body?: object | Buffer, accept: number[] = [200, 201, 202]) => {
    tokens.set(login, tokens.get(login) ?? (await t.token(login)));
    let req = t.http()[method](path).set(bearer(tokens.get(login)!));
    if (Buffer.isBuffer(body)) req = req.set('Content-Type', 'text/csv');
    const res = await (body ? req.send(body) : req);
    if (!accept.includes(res.status)) throw new Error(`fixture: ${method.toUpperCase()} ${path} as ${login} answered ${res.status} ${JSON.stringify(res.body)}`);
    calls.push({ login, request: `${method.toUpperCase()} ${path}`, status: res.status, text: res.text ?? JSON.stringify(res.body) });
    return res;
  };
  const dept = (code: string) => departmentId(CITY, code);
  const today = todayInJapan();
  const token = (field: string) => `${run}-${field}`;
  const dv = {
    address: `秘匿住所 ${token('dv-address')} 1-2-3`,
    phone: `秘匿電話-${token('dv-phone')}`,
    email: `${token('dv-email')}@example.jp`,
    disability: `秘匿障害 ${token('dv-disability')}`,
    medicalHistory: `秘匿病歴 ${token('dv-medical')}`,
  };
  const sonMedicalHistory = `病歴 ${token('son-medical')}`;
  const childAddress = `秘匿の子の住所 ${token('dv-child-address')} 4-5-6`;

  // 長寿課 opens the case; she names her department's manager as a second protector.
  const opened = await call(OPENER, 'post', '/api/v1/cases', {
    title: '避難中の母と同居の長男',
    issues: ['care', 'dv', 'hikikomori'],
    household: { name: '秘匿世帯' },
    persons: [
      { relation: '本人', familyName: '秘匿', givenName: '花子', birthDate: '1944-02-02', sex: 'female', address: dv.address, phone: dv.phone, email: dv.email, sensitive: { disability: dv.disability, medicalHistory: dv.medicalHistory }, dvProtected: true, dvProtectorIds: [accountId(NAMED_PROTECTOR)] },
      { relation: '長男', familyName: '秘匿', givenName: '一郎', birthDate: '1974-06-10', sex: 'male', address: 'つなぎ市本町9-9', phone: '0120-000-009', sensitive: { medicalHistory: sonMedicalHistory } },
      { relation: '孫', familyName: '秘匿', givenName: '芽衣', birthDate: '2015-01-01', sex: 'female', address: childAddress },
    ],
  });
  const caseId: string = opened.body.id;
  const [mother, son] = opened.body.persons.map((p: { personId: string }) => p.personId as string);
  // Her measure, asked for at intake, approved by the manager (the second person).
  const [intakeMeasure] = (await call(NAMED_PROTECTOR, 'get', `/api/v1/people/${mother}/dv-measures`)).body.items;
  await call(NAMED_PROTECTOR, 'post', `/api/v1/people/${mother}/dv-measures/${intakeMeasure.id}/actions/approve`, { version: intakeMeasure.version });

  // Referrals as in the README: the son's consent to 福祉課, and her name to 健康推進課 on internal use.
  // Both consent to 多機関協働 (no contacts, nothing 要配慮), so the consent track is open however consent is counted.
  await call(OPENER, 'post', `/api/v1/cases/${caseId}/consents`, { personId: son, scope: ['basic', 'contact', 'case'], recipientDepartmentIds: [dept('fukushi'), dept('chiiki-kyosei')], givenOn: today, method: 'written' });
  await call(OPENER, 'post', `/api/v1/cases/${caseId}/consents`, { personId: mother, scope: ['basic', 'case'], recipientDepartmentIds: [dept('chiiki-kyosei')], givenOn: today, method: 'written' });
  const toFukushi = await call(OPENER, 'post', `/api/v1/cases/${caseId}/referrals`, {
    toDepartmentId: dept('fukushi'),
    purpose: '家計の相談',
    legalBasis: 'CONSENT',
    share: { case: ['issues'], persons: [{ personId: son, fields: ['name', 'address'] }] },
  });
  const toKenko = await call(OPENER, 'post', `/api/v1/cases/${caseId}/referrals`, {
    toDepartmentId: dept('kenko'),
    purpose: '保健師の訪問',
    legalBasis: 'APPI_INTERNAL',
    legalBasisReason: '本人の健康確認が急がれるため庁内で共有する',
    share: { case: ['issues'], persons: [{ personId: mother, fields: ['name', 'birthDate'] }] },
  });
  // A share on special grounds (APPI_SPECIAL) prepared for 子ども家庭課 and left awaiting 長寿課's manager: it has not left.
  const preparedReason = `特別の理由 ${token('prepared-reason')} により提供する`;
  const prepared = await call(OPENER, 'post', `/api/v1/cases/${caseId}/referrals`, {
    toDepartmentId: dept('kodomo-katei'),
    purpose: '子の安全確認',
    legalBasis: 'APPI_SPECIAL',
    legalBasisReason: preparedReason,
    share: { case: ['issues'], persons: [{ personId: son, fields: ['name'] }] },
  });
  await call('fukushi-counselor', 'post', `/api/v1/referrals/${toFukushi.body.id}/actions/accept`, { version: 1 });
  await call('kenko-counselor', 'post', `/api/v1/referrals/${toKenko.body.id}/actions/accept`, { version: 1 });

  // 多機関協働: escalated by hand, taken up, a 支援会議 with acknowledged members, a 支援プラン with tasks.
  const escalation = await call(OPENER, 'post', '/api/v1/coordination/escalations', { caseId, reason: 'DVと介護とひきこもりが重なるため' });
  const accepted = await call('kyosei-coordinator', 'post', `/api/v1/coordination/escalations/${escalation.body.id}/actions/accept`, { version: 1 });
  const coordinationId: string = accepted.body.coordinationCaseId;
  let version: number = (await call('kyosei-coordinator', 'get', `/api/v1/coordination/cases/${coordinationId}`)).body.version;
  for (const action of ['start-consent-track', 'draft-plan']) {
    version = (await call('kyosei-coordinator', 'post', `/api/v1/coordination/cases/${coordinationId}/actions/${action}`, { version })).body.version;
  }
  const meeting = await call('kyosei-coordinator', 'post', '/api/v1/meetings', { kind: 'shien_kaigi', title: '支援会議', heldOn: today, accessDays: 30 });
  for (const login of ['fukushi-counselor', 'kenko-counselor']) {
    await call('kyosei-coordinator', 'post', `/api/v1/meetings/${meeting.body.id}/members`, { staffId: accountId(login), confidentialityAcknowledged: true });
  }
  await call('kyosei-coordinator', 'post', `/api/v1/meetings/${meeting.body.id}/cases`, {
    coordinationCaseId: coordinationId,
    share: { case: ['issues'], persons: [{ personId: son, fields: ['name', 'birthDate'] }, { personId: mother, fields: ['name'] }] },
  });
  const dueOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await call('kyosei-coordinator', 'put', `/api/v1/coordination/cases/${coordinationId}/plan`, {
    version,
    goals: [{ id: 'g1', text: '安全な暮らしを保つ' }],
    tasks: [
      { goalId: 'g1', departmentId: dept('fukushi'), title: '家計の見守り', dueOn },
      { goalId: 'g1', departmentId: dept('kenko'), title: '保健師の訪問', dueOn },
    ],
  });
  const tasks = (await call('kyosei-coordinator', 'get', `/api/v1/coordination/cases/${coordinationId}`)).body.tasks.map((task: { id: string }) => task.id);

  // The register: her on a neighbour's request in 地区A (a disaster is declared there), him in 地区B.
  const entries: string[] = [];
  for (const [personId, source, districtCode] of [[mother, 'request', 'A'], [son, 'application', 'B']]) {
    const added = await call(OPENER, 'post', '/api/v1/evacuation-support/entries', { source, personId, districtCode, facts: { careLevel: '要介護3' } });
    await call('fukushi-counselor', 'post', `/api/v1/evacuation-support/entries/${added.body.id}/actions/register`, { version: added.body.version, provision: 'consent' });
    await call(OPENER, 'put', `/api/v1/evacuation-support/entries/${added.body.id}/plan`, {
      version: 0,
      personConsent: true,
      helperConsent: true,
      helper: { name: '隣 助', address: 'つなぎ市本町9-8', phone: '090-1111-2222' },
      shelter: '本町小学校',
      route: '本町通りを北へ',
    });
    entries.push(added.body.id);
  }
  const disaster = await call('anshin-counselor', 'post', '/api/v1/evacuation-support/disasters', { kind: '大雨', title: '大雨特別警報', districtCodes: ['A'] });
  const csv = '宛名番号,氏名,生年月日,住所,地区,要介護度\r\n9001,名簿 太郎,1940-01-01,つなぎ市本町1-1,A,要介護4\r\n';
  const upload = await call('fukushi-counselor', 'post', '/api/v1/evacuation-support/imports', Buffer.from(csv));
  const campaign = await call('fukushi-counselor', 'post', '/api/v1/evacuation-support/renewal-campaigns', { year: 2027 });
  for (let i = 0; (await call('fukushi-counselor', 'get', `/api/v1/evacuation-support/renewal-campaigns/${campaign.body.id}`)).body.state !== 'completed'; i++) {
    if (i === 100) throw new Error('fixture: the renewal campaign did not complete');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // 情報照会: 子ども家庭課 asks the lead department about both; the son's is approved for basic only, the DV mother's waits.
  const askAbout = (personId: string) =>
    call('kodomo-katei-counselor', 'post', '/api/v1/information-requests', {
      personId,
      toDepartmentId: departmentId(CITY, LEAD),
      groups: ['basic', 'contact'],
      purpose: '子の相談での確認',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '庁内での支援調整のため',
    });
  const askedSon = await askAbout(son);
  await call(OPENER, 'post', `/api/v1/information-requests/${askedSon.body.id}/actions/approve`, { version: askedSon.body.version, groups: ['basic'] });
  const askedMother = await askAbout(mother);

  // 参加支援: the son is connected to a 通いの場 sharing his name and phone; her phone is refused (DV), her name goes.
  const place = await call(OPENER, 'post', '/api/v1/participation/resources', { name: '本町の通いの場', kind: 'kayoi_no_ba', ownerDepartmentId: dept(LEAD), districtCode: 'A', tags: ['hikikomori'] });
  const connect = (personId: string, share: string[]) =>
    call(OPENER, 'post', '/api/v1/participation/connections', { resourceId: place.body.id, personId, caseId, share, consent: { givenOn: today, method: 'written', fields: share } }, [201, 403]);
  const sonConnected = await connect(son, ['name', 'phone']);
  await call(OPENER, 'post', `/api/v1/participation/connections/${sonConnected.body.id}/actions/introduce`, { version: 1 });
  await connect(mother, ['name', 'phone']);
  const motherConnected = await connect(mother, ['name']);
  const volunteer = await call(OPENER, 'post', '/api/v1/participation/volunteers', { name: '見守り 太郎', kind: 'senior', ownerDepartmentId: dept(LEAD), skills: ['傾聴'], districtCodes: ['A'], contact: '090-0000-1111', contactConsent: true, listingConsent: { givenOn: today, method: 'written' } });
  // 相談窓口の利用: the son's visit to the window, recorded by the lead department.
  const visit = await call(OPENER, 'post', '/api/v1/participation/window-visits', { departmentId: dept(LEAD), districtCode: 'A', personId: son, caseId, wishes: ['place'], outcome: 'connected' });

  // DV等支援措置 for the whole household, asked for later: from now on the grandchild's (and the son's) address is withheld too.
  const household = await call(OPENER, 'post', `/api/v1/people/${mother}/dv-measures`, { reason: '世帯全員の住所を秘匿するため', coversHousehold: true, protectorIds: [accountId(NAMED_PROTECTOR)] });
  await call(NAMED_PROTECTOR, 'post', `/api/v1/people/${mother}/dv-measures/${household.body.id}/actions/approve`, { version: household.body.version });

  // Oversight: an approved access grant (no 要配慮個人情報) on the case, and a chain verification.
  const grant = await call('auditor', 'post', '/api/v1/audit/access-grants', { caseId, reason: '不適切な閲覧の疑いの調査のため', hours: 8 });
  await call('admin', 'post', `/api/v1/audit/access-grants/${grant.body.id}/approve`, { version: grant.body.version });
  const verification = await call('auditor', 'post', '/api/v1/audit/verifications', {});
  // Staff administration: a new counselor of the lead department waits for a second person's approval.
  await call('admin', 'post', '/api/v1/staff', { login: 'leak-newcomer', displayName: '新任 職員', roles: [{ role: 'counselor', departmentId: departmentId(CITY, LEAD) }], reason: '異動のため' });
  const roleChanges = (await call('admin', 'get', '/api/v1/role-changes')).body.items as { id: string }[];

  // Person ids travel (referral packages, meeting shares, audit rows): departments try to name them in a case of their own.
  const cases = [caseId];
  const names = new Map([[caseId, 'case'], [mother, 'DV person'], [son, 'son']]);
  for (const login of ['fukushi-counselor', 'kodomo-katei-counselor']) {
    const attached = await call(login, 'post', '/api/v1/cases', { title: '既知の人', issues: ['care'], persons: [{ personId: mother, relation: '本人' }, { personId: son, relation: '長男' }] }, [201, 400, 403, 404, 422]);
    if (attached.status !== 201) continue;
    cases.push(attached.body.id);
    names.set(attached.body.id, `case ${login} opened naming them`);
  }
  await settle(t);

  const pool: IdPool = {
    case: cases,
    person: [mother, son],
    referral: [toFukushi.body.id, toKenko.body.id, prepared.body.id],
    informationRequest: [askedSon.body.id, askedMother.body.id],
    dvMeasure: [intakeMeasure.id, household.body.id],
    escalation: [escalation.body.id],
    coordination: [coordinationId],
    meeting: [meeting.body.id],
    task: tasks,
    registerEntry: entries,
    disaster: [disaster.body.id],
    import: [upload.body.id],
    renewalCampaign: [campaign.body.id],
    accessGrant: [grant.body.id],
    verification: [verification.body.id],
    roleChange: roleChanges.map((r) => r.id),
    resource: [place.body.id],
    connection: [sonConnected.body.id, motherConnected.body.id],
    volunteer: [volunteer.body.id],
    windowVisit: [visit.body.id],
    staff: DEMO_ACCOUNTS.filter((a) => a.kind === 'staff').map((a) => accountId(a.login)),
    department: DEMO_TENANTS.flatMap((tenant) => tenant.departments.map((d) => departmentId(tenant.code, d.code))),
    district: [...new Set(DEMO_TENANTS.flatMap((tenant) => tenant.districts.map((d) => d.code)))],
  };
  const protectors = new Set([OPENER, NAMED_PROTECTOR]);
  // 要配慮個人情報 stays with the department that collected it: those of the lead department who work cases.
  const collectors = new Set(
    DEMO_ACCOUNTS.filter((a): a is DemoStaff => a.kind === 'staff' && a.tenant === CITY && a.roles.some((r) => (r.role === 'counselor' || r.role === 'coordinator') && r.department === LEAD)).map((a) => a.login),
  );
  const protectedContact = 'DV等支援措置: only her protectors (the opening counselor and those named)';
  const sensitive = `要配慮個人情報 collected by ${LEAD} and disclosed to nobody: only ${LEAD}'s counselors/coordinators`;
  const senders = new Set([
    ...DEMO_ACCOUNTS.filter((a): a is DemoStaff => a.kind === 'staff' && a.tenant === CITY && a.roles.some((r) => r.department === LEAD)).map((a) => a.login),
    'auditor',
  ]);
  const marker = (label: string, value: string, field: string, mayReadIt: Set<string>, because: string): Marker => ({ label, value, token: token(field), mayReadIt, because });
  return {
    pool,
    names,
    calls,
    markers: [
      marker('DV person: address', dv.address, 'dv-address', protectors, protectedContact),
      marker('DV person: phone', dv.phone, 'dv-phone', protectors, protectedContact),
      marker('DV person: email', dv.email, 'dv-email', protectors, protectedContact),
      marker('DV household: grandchild address', childAddress, 'dv-child-address', protectors, 'DV等支援措置 covering the household: only its protectors'),
      marker('DV person: disability', dv.disability, 'dv-disability', collectors, sensitive),
      marker('DV person: medicalHistory', dv.medicalHistory, 'dv-medical', collectors, sensitive),
      marker('son: medicalHistory', sonMedicalHistory, 'son-medical', collectors, sensitive),
      marker('prepared special share: reason', preparedReason, 'prepared-reason', senders, `awaiting its manager's approval, it has not left ${LEAD}: ${LEAD}'s staff, and auditors in the audit log`),
    ],
  };
}
