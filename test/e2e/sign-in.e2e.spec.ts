import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { tenantId } from '../../seeds/demo-data';
import { ensureIssuerKeys } from '../../src/platform/auth/issuer-keys';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

describe('sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const expectUnauthenticated = async (headers: Record<string, string>, detail: RegExp) => {
    const res = await t.http().get('/api/v1/me').set(headers).set('Accept-Language', 'en').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'unauthenticated', type: 'urn:tsunagi:problem:unauthenticated' });
    expect(res.body.detail).toMatch(detail);
  };

  it('answers 401 problem+json without a token', () => expectUnauthenticated({}, /No bearer token/));

  it('answers 401 to a forged token (right claims, wrong key)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const { kid } = (await t.token('admin').then((tk) => JSON.parse(Buffer.from(tk.split('.')[0], 'base64url').toString()))) as { kid: string };
    const forged = await new SignJWT({ tid: tenantId('tsunagi-city') })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(t.config.auth.issuer)
      .setAudience(t.config.auth.audience)
      .setSubject('admin')
      .setExpirationTime('1h')
      .sign(privateKey);
    expect(await exportJWK(publicKey)).toBeDefined();
    await expectUnauthenticated(bearer(forged), /could not be verified/);
  });

  it('answers 401 to a tampered payload', async () => {
    const [header, , signature] = (await t.token('choju-counselor')).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'admin', tid: tenantId('tsunagi-city') })).toString('base64url');
    await expectUnauthenticated(bearer(`${header}.${payload}.${signature}`), /could not be verified/);
  });

  it('answers 401 to an expired token', async () => {
    await expectUnauthenticated(bearer(await t.token('admin', { ttl: -60 })), /expired/);
  });

  /** Signed with the app's own key, so only the lifetime is wrong. */
  const signed = async (lifetime: (jwt: SignJWT) => SignJWT) => {
    if (t.config.auth.mode !== 'built-in') throw new Error('built-in issuer expected');
    const { privateJwk } = await ensureIssuerKeys(t.config.auth.keyDir);
    const jwt = new SignJWT({ tid: tenantId('tsunagi-city') })
      .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
      .setIssuer(t.config.auth.issuer)
      .setAudience(t.config.auth.audience)
      .setSubject('admin');
    return lifetime(jwt).sign(await importJWK(privateJwk, 'ES256'));
  };

  it('answers 401 to a validly signed token that never expires', async () => {
    await expectUnauthenticated(bearer(await signed((jwt) => jwt.setIssuedAt())), /no expiry/);
    await expectUnauthenticated(bearer(await signed((jwt) => jwt)), /no expiry/);
  });

  it('answers 401 to a validly signed token that lives longer than 12 hours, and 200 to one of 12', async () => {
    await expectUnauthenticated(bearer(await signed((jwt) => jwt.setIssuedAt().setExpirationTime('13h'))), /longer than 12 hours/);
    await expectUnauthenticated(bearer(await signed((jwt) => jwt.setExpirationTime('24h'))), /longer than 12 hours/);
    const inAYear = Math.floor(Date.now() / 1000) + 365 * 86400;
    await expectUnauthenticated(bearer(await signed((jwt) => jwt.setIssuedAt(inAYear).setExpirationTime(inAYear + 3600))), /longer than 12 hours/);
    await t.http().get('/api/v1/me').set(bearer(await signed((jwt) => jwt.setIssuedAt().setExpirationTime('12h')))).expect(200);
  });

  it('answers 401 to a valid token for an account that is not in the directory', async () => {
    const token = await t.token('admin');
    await t.sql(`update staff set active = false where login = 'admin'`);
    try {
      await expectUnauthenticated(bearer(token), /unknown or disabled/);
    } finally {
      await t.sql(`update staff set active = true where login = 'admin'`);
    }
  });

  it('takes roles from the directory, not from the token', async () => {
    const res = await t.http().get('/api/v1/me').set(bearer(await t.token('kyosei-coordinator'))).expect(200);
    expect(res.body).toMatchObject({ kind: 'staff', displayName: '共生 進', tenant: { code: 'tsunagi-city', name: 'つなぎ市' } });
    expect(res.body.roles.map((r: { role: string; departmentCode: string }) => `${r.role}@${r.departmentCode}`).sort()).toEqual([
      'coordinator@chiiki-kyosei',
      'counselor@chiiki-kyosei',
    ]);
  });

  it('signs in community supporters with the districts they cover', async () => {
    const res = await t.http().get('/api/v1/me').set(bearer(await t.token('minsei-a'))).expect(200);
    expect(res.body).toMatchObject({ kind: 'supporter', organizationType: 'minsei_iin', districtCodes: ['A'] });
  });
});
