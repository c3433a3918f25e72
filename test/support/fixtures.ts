import { departmentId } from '../../seeds/demo-data';
import { bearer, type TestApp } from './test-app';

/** Cases and referrals made through the API, as a counselor would. */
export class Fixtures {
  constructor(private readonly t: TestApp) {}

  async openCase(login: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; version: number; persons: { personId: string }[] }> {
    const res = await this.t
      .http()
      .post('/api/v1/cases')
      .set(bearer(await this.t.token(login)))
      .send({
        title: 'テストケース',
        issues: ['care', 'poverty'],
        persons: [{ relation: '本人', familyName: '試験', givenName: '花子', address: '試験町1-1', phone: '000-0000-0000' }],
        ...overrides,
      });
    if (res.status !== 201) throw new Error(`openCase as ${login}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async refer(login: string, caseId: string, tenant: string, toDepartment: string): Promise<{ id: string; version: number }> {
    const res = await this.t
      .http()
      .post(`/api/v1/cases/${caseId}/referrals`)
      .set(bearer(await this.t.token(login)))
      .send({
        toDepartmentId: departmentId(tenant, toDepartment),
        purpose: '対応をお願いします',
        legalBasis: 'APPI_INTERNAL',
        legalBasisReason: '庁内での支援調整のため',
        share: { case: ['issues'] },
      });
    if (res.status !== 201) throw new Error(`refer as ${login}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async consent(login: string, caseId: string, personId: string, tenant: string, toDepartment: string): Promise<string> {
    const res = await this.t
      .http()
      .post(`/api/v1/cases/${caseId}/consents`)
      .set(bearer(await this.t.token(login)))
      .send({ personId, scope: ['basic', 'case'], recipientDepartmentIds: [departmentId(tenant, toDepartment)], givenOn: '2026-11-20', method: 'written' });
    if (res.status !== 201) throw new Error(`consent as ${login}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }
}
