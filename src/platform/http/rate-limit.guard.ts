import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { TokenVerifier } from '../auth/token-verifier';

/**
 * Limits per verified principal (tenant and subject of a token whose signature holds), however the
 * header is written; a request without such a token (none, junk, expired) counts against its client
 * address, so neither rewriting a token nor inventing new ones buys more requests.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  @Inject(TokenVerifier) private readonly verifier!: TokenVerifier;

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const verified = await this.verifier.verifyRequest(req as Request).catch(() => undefined);
    return verified ? `principal:${verified.tenantId}:${verified.subject}` : `address:${(req as Request).ip}`;
  }
}
