import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

const ALG = 'ES256';

export interface IssuerKeys {
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * A key pair made on first use and kept in `dir` (the built-in demo issuer's, the audit signing key).
 * Made in a folder of its own and renamed into place in one step, so processes starting together on
 * one data folder all end up with the same pair.
 */
export async function ensureIssuerKeys(dir: string): Promise<IssuerKeys> {
  const privateFile = path.join(dir, 'private.jwk.json');
  const publicFile = path.join(dir, 'public.jwk.json');
  if (fs.existsSync(privateFile) && fs.existsSync(publicFile)) {
    return { privateJwk: readJson(privateFile), publicJwk: readJson(publicFile) };
  }
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const keys = { privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG }, publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' } };
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const draft = fs.mkdtempSync(`${dir}.draft-`);
  fs.writeFileSync(path.join(draft, 'private.jwk.json'), JSON.stringify(keys.privateJwk), { mode: 0o600 });
  fs.writeFileSync(path.join(draft, 'public.jwk.json'), JSON.stringify(keys.publicJwk));
  try {
    fs.renameSync(draft, dir);
  } catch (error) {
    // Another process put its pair in place first: use that one.
    fs.rmSync(draft, { recursive: true, force: true });
    if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    return { privateJwk: readJson(privateFile), publicJwk: readJson(publicFile) };
  }
  return keys;
}

export interface TokenClaims {
  issuer: string;
  audience: string;
  subject: string;
  tenantId: string;
  /** Seconds. */
  ttl?: number;
}

/** Signs a token the way an identity provider would: `sub` the person, `tid` the tenant. */
export async function signToken(keys: IssuerKeys, claims: TokenClaims): Promise<string> {
  const key = await importJWK(keys.privateJwk, ALG);
  return new SignJWT({ tid: claims.tenantId })
    .setProtectedHeader({ alg: ALG, kid: keys.privateJwk.kid, typ: 'JWT' })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttl ?? 8 * 3600}s`)
    .sign(key);
}

function readJson(file: string): JWK {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
}
