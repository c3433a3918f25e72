import { bearer, startTestApp, type TestApp } from '../support/test-app';

/** Defect 8: the limit follows who is calling, not how the Authorization header is written. */
describe('rate limit', () => {
  const LIMIT = 5;
  let t: TestApp;

  beforeEach(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });
  afterEach(() => t.close());

  const me = (authorization?: string) => {
    const call = t.http().get('/api/v1/me');
    return authorization === undefined ? call : call.set('Authorization', authorization);
  };

  it('counts one token however the header spells it', async () => {
    const token = await t.token('choju-counselor');
    const spellings = [`Bearer ${token}`, `bearer ${token}`, `Bearer  ${token}`, `Bearer\t${token}`, `BEARER ${token}`, `Bearer ${token} `];
    const statuses = [];
    for (const spelling of spellings) statuses.push((await me(spelling)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('counts two tokens of one person as one caller', async () => {
    const statuses = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await me(`Bearer ${await t.token('choju-counselor', { ttl: 3600 + i })}`)).status);
    expect(statuses.at(-1)).toBe(429);
  });

  it('counts tokens that do not verify (a new junk one each time) against the client address', async () => {
    const statuses = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await me(`Bearer junk-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await me()).status).toBe(429);
  });

  it('keeps a signed-in person’s budget apart from the junk sent from the same address', async () => {
    for (let i = 0; i <= LIMIT; i++) await me(`Bearer junk-${i}`);
    expect((await me(bearer(await t.token('choju-counselor')).Authorization)).status).toBe(200);
  });
});
