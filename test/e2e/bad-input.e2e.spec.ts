import { departmentId } from '../../seeds/demo-data';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

describe('bad input', () => {
  let t: TestApp;
  let admin: string;
  const choju = departmentId('tsunagi-city', 'choju');

  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: '2048' });
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  const counts = async () => (await t.sql<{ staff: string; audit: string }>('select (select count(*) from staff) staff, (select count(*) from audit_log) audit'))[0];
  const post = (body: string | object, lang = 'ja') =>
    t.http().post('/api/v1/staff').set(bearer(admin)).set('Accept-Language', lang).set('Content-Type', 'application/json').send(body);

  let before: { staff: string; audit: string };
  beforeEach(async () => {
    before = await counts();
  });
  afterEach(async () => {
    expect(await counts()).toEqual(before);
  });

  it('names each bad field, in Japanese by default', async () => {
    const res = await post({ login: 'A B', displayName: 42, roles: [{ role: 'counselor', departmentId: choju }], nickname: 'x' }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed', title: '入力内容に誤りがあります。' });
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body', 'body.displayName', 'body.login']);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'body')).toMatchObject({ code: 'unrecognized_keys', keys: ['nickname'] });
    expect(res.body.errorCount).toBe(3);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'body.displayName').message).toMatch(/無効な入力/);
  });

  it('answers in English when asked', async () => {
    const res = await post({ login: 'ok-login', displayName: 'x', roles: [{ role: 'admin', departmentId: choju }] }, 'en-US,en;q=0.9').expect(400);
    expect(res.headers['content-language']).toBe('en');
    expect(res.body.title).toBe('The request is invalid.');
    expect(res.body.errors).toEqual([
      { field: 'body.roles.0.departmentId', code: 'custom', message: expect.stringMatching(/whole tenant/) },
    ]);
  });

  it('refuses malformed JSON', async () => {
    const res = await post('{"login": "x",').expect(400);
    expect(res.body).toMatchObject({ code: 'malformed_json', title: 'リクエスト本文が正しいJSONではありません。' });
  });

  it('refuses an oversize body', async () => {
    const res = await post({ login: 'big', displayName: 'x'.repeat(4000), roles: [] }).expect(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('refuses a malformed id in the path, naming it', async () => {
    const res = await t.http().get('/api/v1/staff/12345').set(bearer(admin)).set('Accept-Language', 'en').expect(400);
    expect(res.body.errors).toEqual([{ field: 'path.id', code: 'invalid_format', message: 'Invalid UUID' }]);
  });

  it('refuses a department of another tenant and writes nothing', async () => {
    const res = await post({ login: 'cross', displayName: 'x', roles: [{ role: 'counselor', departmentId: departmentId('tonari-town', 'fukushi') }] }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'body.roles.0.departmentId', code: 'unknown_department', message: 'この自治体にその課はありません。' }]);
  });

  it('answers an unknown route with a problem', async () => {
    const res = await t.http().get('/api/v1/nothing-here').set(bearer(admin)).expect(404);
    expect(res.body.code).toBe('route_not_found');
  });
});
