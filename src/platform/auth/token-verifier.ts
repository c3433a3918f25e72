import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ensureIssuerKeys } from './issuer-keys';

export interface VerifiedToken {
  subject: string;
  tenantId: string;
}

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'missing' | 'expired' | 'lifetime' | 'invalid') {
    super(`token ${reason}`);
  }
}

/** The longest a token may live: a working day and then some. A token that never expires is refused. */
export const MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

const MAX_RECENT_TOKENS = 10_000;

const claimsSchema = z.object({
  sub: z.string().min(1),
  tid: z.uuid(),
  exp: z.number(),
  iat: z.number().optional(),
});

/** `Authorization: Bearer <token>`, however the scheme is spelled or spaced. */
export const bearerToken = (authorization: string | undefined) => /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];

/** Verifies bearer tokens against the configured issuer, audience and key set (built-in or an OIDC provider's). */
@Injectable()
export class TokenVerifier {
  private keySet?: Promise<JWTVerifyGetKey>;
  /** A request's token is verified once, whoever asks first (the rate limit, then authentication). */
  private readonly byRequest = new WeakMap<Request, Promise<VerifiedToken>>();
  /** Tokens verified lately, reused until they expire or PRINCIPAL_CACHE_MS has passed (whichever comes first). */
  private readonly recent = new Map<string, { verified: VerifiedToken; until: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  verifyRequest(req: Request): Promise<VerifiedToken> {
    let verified = this.byRequest.get(req);
    if (!verified) {
      verified = this.verify(bearerToken(req.header('authorization')));
      this.byRequest.set(req, verified);
    }
    return verified;
  }

  private async verify(token: string | undefined): Promise<VerifiedToken> {
    if (!token) throw new InvalidTokenError('missing');
    const recent = this.recent.get(token);
    if (recent && recent.until > Date.now()) return recent.verified;
    this.recent.delete(token);
    const { verified, expiresAt } = await this.verifySignature(token);
    if (this.config.principalCacheMs > 0) {
      if (this.recent.size >= MAX_RECENT_TOKENS) this.recent.delete(this.recent.keys().next().value!);
      this.recent.set(token, { verified, until: Math.min(expiresAt, Date.now() + this.config.principalCacheMs) });
    }
    return verified;
  }

  private async verifySignature(token: string): Promise<{ verified: VerifiedToken; expiresAt: number }> {
    const { issuer, audience } = this.config.auth;
    let claims: z.infer<typeof claimsSchema>;
    try {
      const { payload } = await jwtVerify(token, await this.keys(), { issuer, audience, algorithms: ['ES256', 'RS256', 'EdDSA'], requiredClaims: ['exp'] });
      claims = claimsSchema.parse(payload);
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError('expired');
      const noExpiry = error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp';
      throw new InvalidTokenError(noExpiry ? 'lifetime' : 'invalid');
    }
    // From issue (or now, whichever is earlier: an `iat` in the future proves nothing) to expiry.
    const now = Math.floor(Date.now() / 1000);
    if (claims.exp - Math.min(claims.iat ?? now, now) > MAX_TOKEN_LIFETIME_SECONDS) throw new InvalidTokenError('lifetime');
    return { verified: { subject: claims.sub, tenantId: claims.tid }, expiresAt: claims.exp * 1000 };
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
