import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ensureIssuerKeys } from './issuer-keys';

export interface VerifiedToken {
  subject: string;
  tenantId: string;
}

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'missing' | 'expired' | 'invalid') {
    super(`token ${reason}`);
  }
}

const claimsSchema = z.object({ sub: z.string().min(1), tid: z.uuid() });

/** Verifies bearer tokens against the configured issuer, audience and key set (built-in or an OIDC provider's). */
@Injectable()
export class TokenVerifier {
  private keySet?: Promise<JWTVerifyGetKey>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async verify(token: string | undefined): Promise<VerifiedToken> {
    if (!token) throw new InvalidTokenError('missing');
    const { issuer, audience } = this.config.auth;
    try {
      const { payload } = await jwtVerify(token, await this.keys(), { issuer, audience, algorithms: ['ES256', 'RS256', 'EdDSA'] });
      const claims = claimsSchema.parse(payload);
      return { subject: claims.sub, tenantId: claims.tid };
    } catch (error) {
      throw new InvalidTokenError(error instanceof errors.JWTExpired ? 'expired' : 'invalid');
    }
  }

  private keys(): Promise<JWTVerifyGetKey> {
    const auth = this.config.auth;
    this.keySet ??=
      auth.mode === 'external'
        ? Promise.resolve(createRemoteJWKSet(new URL(auth.jwksUrl)))
        : ensureIssuerKeys(auth.keyDir).then((keys) => createLocalJWKSet({ keys: [keys.publicJwk] }));
    return this.keySet;
  }
}
