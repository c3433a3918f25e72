import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { DEMO_ACCOUNTS, tenantId } from '../../seeds/demo-data';

/**
 * A tiny OpenID provider in the test process, for the console's sign-in: discovery, an authorize
 * endpoint that approves at once (as whoever `signInAs` names), a token endpoint that insists on
 * PKCE (S256) and single-use codes, and the key set the service verifies tokens with. CORS is open to
 * the console's origin, as a real provider's is for a public client.
 */
export interface TestOidcProvider {
  issuer: string;
  /** The env that makes the service trust this provider and send the console here. */
  env: Record<string, string>;
  /** Who the next authorization approves. */
  signInAs(login: string): void;
  /** A token for a demo login, as this provider issues them (for API calls in the test itself). */
  token(login: string): Promise<string>;
  /** Every authorization and token request seen, for assertions on the flow. */
  seen: { authorize: URLSearchParams[]; token: URLSearchParams[] };
  close(): Promise<void>;
}

const CLIENT_ID = 'tsunagi-console';
const AUDIENCE = 'tsunagi';

export async function startOidcProvider(): Promise<TestOidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-idp', alg: 'ES256', use: 'sig' };
  const codes = new Map<string, { login: string; challenge: string; redirectUri: string; clientId: string }>();
  const seen: TestOidcProvider['seen'] = { authorize: [], token: [] };
  let next = 'choju-counselor';
  let issuer = '';

  const sign = (key: CryptoKey, login: string) => {
    const account = DEMO_ACCOUNTS.find((a) => a.login === login);
    if (!account) throw new Error(`no demo login ${login}`);
    return new SignJWT({ tid: tenantId(account.tenant) })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-idp', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setSubject(login)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Content-Type' });
      return res.end();
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [publicJwk] });
    if (url.pathname === '/authorize') {
      seen.authorize.push(url.searchParams);
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      if (q.get('client_id') !== CLIENT_ID || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        return json(400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('hex');
      codes.set(code, { login: next, challenge: q.get('code_challenge')!, redirectUri, clientId: CLIENT_ID });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        seen.token.push(form);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!grant || form.get('grant_type') !== 'authorization_code' || grant.redirectUri !== form.get('redirect_uri') || grant.clientId !== form.get('client_id') || grant.challenge !== challenge) {
          return json(400, { error: 'invalid_grant' });
        }
        void sign(privateKey, grant.login).then((accessToken) => json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 }));
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    env: { AUTH_ISSUER: issuer, AUTH_JWKS_URL: `${issuer}/jwks`, AUTH_CONSOLE_CLIENT_ID: CLIENT_ID, AUTH_AUDIENCE: AUDIENCE },
    signInAs: (login) => void (next = login),
    token: (login) => sign(privateKey, login),
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
