import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

const ALG = 'ES256';

export interface IssuerKeys {
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * The built-in demo issuer's key pair, made on first start and kept in the data folder.
 * Only used while no external identity provider is configured.
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
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(privateFile, JSON.stringify(keys.privateJwk), { mode: 0o600 });
  fs.writeFileSync(publicFile, JSON.stringify(keys.publicJwk));
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
