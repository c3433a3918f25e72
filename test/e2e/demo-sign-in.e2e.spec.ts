import { startTestApp, type TestApp } from '../support/test-app';

describe('demo sign-in (the console’s sign-in page while the demo runs)', () => {
  describe('in demo mode', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SEED_DEMO: 'true' });
    });
    afterAll(() => t.close());

    it('lists the demo logins with their roles and signs in as one of them with a token the API accepts', async () => {
      const logins = await t.http().get('/api/v1/demo/logins').expect(200);
      expect(logins.body.items).toContainEqual({ login: 'choju-counselor', displayName: '長寿 和子', kind: 'staff', roles: [{ role: 'counselor', department: '長寿課' }] });
      expect(logins.body.items).toContainEqual(expect.objectContaining({ login: 'minsei-a', kind: 'supporter', roles: [{ role: 'minsei_iin' }] }));
      const session = await t.http().post('/api/v1/demo/sign-in').send({ login: 'choju-counselor' }).expect(201);
      expect(session.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 7200, login: 'choju-counselor' });
      const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${session.body.accessToken}`).expect(200);
      expect(me.body.displayName).toBe('長寿 和子');
    });

    it('tells the console to offer the demo logins', async () => {
      expect((await t.http().get('/api/v1/sign-in/options').expect(200)).body).toEqual({ method: 'demo' });
    });

    it('refuses a login that is not a demo login (400, no token)', async () => {
      const res = await t.http().post('/api/v1/demo/sign-in').send({ login: 'nobody' }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.login', code: 'unknown_login' })]);
      expect(res.body).not.toHaveProperty('accessToken');
    });
  });

  describe('outside demo mode', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SEED_DEMO: 'false' });
    });
    afterAll(() => t.close());

    it('answers 404 as if the routes did not exist', async () => {
      await t.http().get('/api/v1/demo/logins').expect(404);
      const res = await t.http().post('/api/v1/demo/sign-in').send({ login: 'admin' }).expect(404);
      expect(res.body.code).toBe('route_not_found');
      // Neither the demo nor an identity provider for the console: it says so, and offers nothing.
      expect((await t.http().get('/api/v1/sign-in/options').expect(200)).body).toEqual({ method: 'none' });
    });
  });
});
