import { startTestApp, type TestApp } from '../support/test-app';

describe('GET /api/v1 and unknown paths under /api', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers a JSON index naming the service, its version and where the docs are', async () => {
    const res = await t.http().get('/api/v1').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      name: 'tsunagi',
      description: expect.any(String),
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      apiVersion: 'v1',
      docs: { ui: '/docs', openapi: '/docs-json' },
    });
    expect((await t.http().get(res.body.docs.openapi)).status).toBe(200);
  });

  it.each(['/api', '/api/', '/api/v2/cases', '/api/nothing', '/api/v1/nothing-here', '/api/v1/cases/x/y/z'])('answers %s with a problem+json 404, in Japanese or English', async (path) => {
    const ja = await t.http().get(path);
    expect([ja.status, ja.headers['content-type']]).toEqual([404, 'application/problem+json; charset=utf-8']);
    expect(ja.body).toMatchObject({ code: 'route_not_found', status: 404, title: 'このURLの操作はありません。' });
    const en = await t.http().post(path).set('Accept-Language', 'en');
    expect([en.status, en.body.code, en.body.title]).toEqual([404, 'route_not_found', 'There is no such route.']);
  });

  it('leaves / and other paths outside /api to the console (its page, or a line saying it is not built)', async () => {
    // console.e2e.spec.ts builds the console and tests what it serves; here dist/console may or may not exist yet.
    const root = await t.http().get('/');
    expect([200, 503]).toContain(root.status);
    expect(root.headers['content-type']).toMatch(root.status === 200 ? /^text\/html/ : /^text\/plain/);
  });
});

describe('GET /api/v1 with API docs turned off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_DOCS: 'false' });
  });
  afterAll(() => t.close());

  it('does not advertise docs it does not serve', async () => {
    const res = await t.http().get('/api/v1').expect(200);
    expect(res.body).toMatchObject({ name: 'tsunagi', apiVersion: 'v1' });
    expect(res.body).not.toHaveProperty('docs');
  });
});
