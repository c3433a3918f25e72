import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/** Limits per token (hashed, never stored), or per address for calls without one. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const authorization: string | undefined = req.headers?.authorization;
    if (authorization) return `token:${createHash('sha256').update(authorization).digest('hex')}`;
    return `ip:${req.ip}`;
  }
}
