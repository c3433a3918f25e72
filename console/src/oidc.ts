import { session } from './session';

/**
 * Sign-in at the municipality's identity provider (認証基盤): OAuth 2.0 authorization code with PKCE
 * (RFC 7636) for a public client. The access token stays in memory (session.ts); only what the round trip
 * to the provider needs — state, the PKCE verifier and the page to come back to — waits in this tab's
 * sessionStorage, and the callback removes it.
 */
export interface OidcOptions {
  issuer: string;
  clientId: string;
  scope: string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

interface Pending {
  state: string;
  verifier: string;
  returnTo: string;
  tokenEndpoint: string;
  clientId: string;
}

const PENDING = 'tsunagi.oidc.pending';
export const CALLBACK_PATH = '/sign-in/callback';

/** The page the last session expired on: after signing in again, the person lands back there. */
let expiredOn: string | null = null;
session.subscribe(() => {
  if (session.get()) expiredOn = null;
  else if (session.endedBecause() === 'expired') expiredOn = location.pathname + location.search;
});

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery: HTTP ${response.status}`);
  return (await response.json()) as Discovery;
}

/** Leaves for the provider's authorization endpoint; it comes back to CALLBACK_PATH. */
export async function beginSignIn(options: OidcOptions): Promise<void> {
  const discovery = await discover(options.issuer);
  const verifier = randomString();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const pending: Pending = { state: randomString(), verifier, returnTo: expiredOn ?? '/', tokenEndpoint: discovery.token_endpoint, clientId: options.clientId };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: location.origin + CALLBACK_PATH,
    scope: options.scope,
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** On CALLBACK_PATH: checks the state, trades the code for tokens, starts the session; answers where to go. */
export async function completeSignIn(search: URLSearchParams): Promise<string> {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const pending = raw ? (JSON.parse(raw) as Pending) : null;
  const error = search.get('error');
  if (error) throw new Error(search.get('error_description') ?? error);
  const code = search.get('code');
  // A callback nobody here started (or one replayed) is refused: the state is single use.
  if (!pending || !code || search.get('state') !== pending.state) throw new Error('state mismatch');
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: location.origin + CALLBACK_PATH, client_id: pending.clientId, code_verifier: pending.verifier }),
  });
  if (!response.ok) throw new Error(`token: HTTP ${response.status}`);
  const tokens = (await response.json()) as { access_token: string; expires_in?: number };
  const claims = JSON.parse(atob(tokens.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub: string; exp: number };
  const expiresAt = tokens.expires_in ? Date.now() + tokens.expires_in * 1000 : claims.exp * 1000;
  session.start({ token: tokens.access_token, login: claims.sub, expiresAt });
  return pending.returnTo.startsWith('/') && !pending.returnTo.startsWith('//') ? pending.returnTo : '/';
}
