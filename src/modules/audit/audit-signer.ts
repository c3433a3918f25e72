import { Inject, Injectable } from '@nestjs/common';
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import path from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ensureIssuerKeys } from '../../platform/auth/issuer-keys';

interface AuditKeys {
  kid: string | undefined;
  privateKey: Awaited<ReturnType<typeof importJWK>>;
  publicKey: Awaited<ReturnType<typeof importJWK>>;
  publicJwk: JWK;
}

/**
 * Signs what auditors keep outside the database (checkpoints, verification reports) with the service's
 * audit key. The key lives in the data folder, never in the database, so whoever can rewrite the
 * database still cannot sign for it.
 */
@Injectable()
export class AuditSigner {
  private loaded?: Promise<AuditKeys>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async sign(payload: object, type: string): Promise<string> {
    const keys = await this.keys();
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: type }).sign(keys.privateKey);
  }

  /** The signed payload, or null when the signature is not ours, the type is not `type`, or the text is not a signature at all. */
  async open<T>(signed: unknown, type?: string): Promise<T | null> {
    if (typeof signed !== 'string') return null;
    const keys = await this.keys();
    try {
      const verified = await compactVerify(signed, keys.publicKey);
      if (type && verified.protectedHeader.typ !== type) return null;
      return JSON.parse(new TextDecoder().decode(verified.payload)) as T;
    } catch {
      return null;
    }
  }

  async publicKey(): Promise<JWK> {
    return (await this.keys()).publicJwk;
  }

  private keys(): Promise<AuditKeys> {
    this.loaded ??= ensureIssuerKeys(path.join(this.config.dataDir, 'audit-signing')).then(async ({ privateJwk, publicJwk }) => ({
      kid: privateJwk.kid,
      privateKey: await importJWK(privateJwk, 'ES256'),
      publicKey: await importJWK(publicJwk, 'ES256'),
      publicJwk,
    }));
    // A key that could not be read now may be readable at the next call.
    this.loaded.catch(() => (this.loaded = undefined));
    return this.loaded;
  }
}
