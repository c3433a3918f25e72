import { Inject, Injectable } from '@nestjs/common';
import { CompactSign, compactVerify, importJWK } from 'jose';
import path from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ensureIssuerKeys } from '../../platform/auth/issuer-keys';

/** Signs what auditors keep outside the system (checkpoints, verification reports) with the service's audit key. */
@Injectable()
export class AuditSigner {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async sign(payload: object, type: string): Promise<string> {
    const keys = await this.keys();
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'ES256', kid: keys.privateJwk.kid, typ: type })
      .sign(await importJWK(keys.privateJwk, 'ES256'));
  }

  /** The signed payload, or null when the signature is not ours or the text is not a signature at all. */
  async open<T>(signed: string): Promise<T | null> {
    const keys = await this.keys();
    try {
      const verified = await compactVerify(signed, await importJWK(keys.publicJwk, 'ES256'));
      return JSON.parse(new TextDecoder().decode(verified.payload)) as T;
    } catch {
      return null;
    }
  }

  publicKey() {
    return this.keys().then((k) => k.publicJwk);
  }

  private keys() {
    return ensureIssuerKeys(path.join(this.config.dataDir, 'audit-signing'));
  }
}
