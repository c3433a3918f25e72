import { createHash } from 'node:crypto';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { RequestAuth } from '../../modules/access/request-auth';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Db } from '../database/db';
import { AppError, fieldError } from './app-error';

/** What ties a key to one request: a retry must send the same method, URL and body. */
export const requestHash = (method: string, url: string, body: unknown) => createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('hex');

interface StoredKey {
  request_hash: string;
  status: number | null;
  response: unknown;
  /** Whole seconds until a pending key's lease lapses. */
  lease_left: number;
}

/**
 * POST with an `Idempotency-Key`: the first request claims the key; a retry gets the first answer
 * back and writes nothing; the same key with a different request is refused. A failed request frees
 * its key so the client can retry. A claim is a lease (IDEMPOTENCY_LEASE_SECONDS): while it runs a
 * retry is told to wait (409, Retry-After); once it has lapsed, the request that claimed it is taken
 * for dead and one retry takes the key over and runs the request. A request that finishes after
 * losing its key neither answers for nor frees it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { auth?: RequestAuth }>();
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined || !req.auth) return next.handle();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw fieldError('header.idempotency-key', 'invalid', { ja: 'Idempotency-Key は255文字以内の英数記号です。', en: 'Idempotency-Key must be 1–255 visible ASCII characters.' });
    }
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? 201;
    return from(this.once(req, req.auth, key, status, context.switchToHttp().getResponse<Response>(), next));
  }

  private async once(req: Request, auth: RequestAuth, key: string, status: number, res: Response, next: CallHandler): Promise<unknown> {
    const hash = requestHash(req.method, req.originalUrl, req.body);
    const ids = [auth.principal.tenantId, auth.principal.id, key];
    // Claims a new key, or takes over one whose lease has lapsed: one statement, so only one retry wins.
    const [claimed] = await this.db.inTenant(auth.principal.tenantId, (em) =>
      em.execute<{ claim: string }[]>(
        `insert into idempotency_keys (tenant_id, principal_id, key, request_hash) values (?, ?, ?, ?)
           on conflict (tenant_id, principal_id, key) do update set claimed_at = now(), claim = gen_random_uuid()
           where idempotency_keys.status is null and idempotency_keys.request_hash = excluded.request_hash
             and idempotency_keys.claimed_at <= now() - make_interval(secs => ?)
         returning claim`,
        [...ids, hash, this.config.idempotencyLeaseSeconds],
      ),
    );
    if (!claimed) {
      const [stored] = await this.db.inTenant(auth.principal.tenantId, (em) =>
        em.execute<StoredKey[]>(
          `select request_hash, status, response, greatest(1, ceil(extract(epoch from claimed_at + make_interval(secs => ?) - now())))::int as lease_left
             from idempotency_keys where tenant_id = ? and principal_id = ? and key = ?`,
          [this.config.idempotencyLeaseSeconds, ...ids],
        ),
      );
      if (stored.request_hash !== hash) throw new AppError('idempotency_key_reused');
      if (stored.status === null) {
        res.setHeader('Retry-After', String(stored.lease_left));
        throw new AppError('request_in_progress', { meta: { retryAfter: stored.lease_left } });
      }
      res.status(stored.status).setHeader('Idempotent-Replayed', 'true');
      return stored.response;
    }
    const ours = [...ids, claimed.claim];
    try {
      const result = await lastValueFrom(next.handle(), { defaultValue: null });
      await this.db.inTenant(auth.principal.tenantId, (em) =>
        em.execute(`update idempotency_keys set status = ?, response = ? where tenant_id = ? and principal_id = ? and key = ? and claim = ?`, [status, JSON.stringify(result), ...ours]),
      );
      return result;
    } catch (error) {
      await this.db.inTenant(auth.principal.tenantId, (em) => em.execute(`delete from idempotency_keys where tenant_id = ? and principal_id = ? and key = ? and claim = ?`, ours));
      throw error;
    }
  }
}
