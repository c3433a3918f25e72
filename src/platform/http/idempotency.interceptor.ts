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

/** How long a key answers for its request: after this a key is forgotten, and the same key runs a new request. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

interface StoredKey {
  request_hash: string;
  status: number | null;
  response: unknown;
  /** Whole seconds until a pending key's lease lapses (0 or less: lapsed). */
  lease_left: number;
}

/**
 * POST with an `Idempotency-Key`: the first request claims the key; a retry gets the first answer
 * back and writes nothing; the same key with a different request is refused. The request runs in one
 * transaction with its key (see `Db.inRequestTransaction`): the answer is stored before the change it
 * answers commits, in the same commit, so a crash at any point leaves either both or neither, and a
 * retry either replays the answer or runs the request once. While the request runs, its transaction
 * holds a lock on the key: a retry is told to wait (409, Retry-After); a request that died took its
 * lock with it. A failed request leaves no key, so the client can retry. Keys are kept
 * IDEMPOTENCY_KEY_TTL_HOURS (see IdempotencyKeyExpiry).
 *
 * A key stored pending (by a version of the service that claimed keys in a transaction of their own,
 * during a rolling upgrade) is a lease (IDEMPOTENCY_LEASE_SECONDS): a retry waits it out, then takes
 * the key over.
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

  private once(req: Request, auth: RequestAuth, key: string, status: number, res: Response, next: CallHandler): Promise<unknown> {
    const hash = requestHash(req.method, req.originalUrl, req.body);
    const ids = [auth.principal.tenantId, auth.principal.id, key];
    return this.db.inRequestTransaction(auth.principal.tenantId, async (em) => {
      // Held by the transaction that runs the request: it goes with a commit, a rollback or a dead connection.
      const [{ locked }] = await em.execute<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(hashtext(?), hashtext(?)) as locked`, [`tsunagi:idempotency:${ids[0]}:${ids[1]}`, key]);
      if (!locked) return inProgress(res, 1);
      const [stored] = await em.execute<StoredKey[]>(
        `select request_hash, status, response, ceil(extract(epoch from claimed_at + make_interval(secs => ?) - now()))::int as lease_left
           from idempotency_keys where tenant_id = ? and principal_id = ? and key = ? and created_at > now() - make_interval(hours => ?) for update`,
        [this.config.idempotencyLeaseSeconds, ...ids, IDEMPOTENCY_KEY_TTL_HOURS],
      );
      if (stored) {
        if (stored.request_hash !== hash) throw new AppError('idempotency_key_reused');
        if (stored.status !== null) {
          res.status(stored.status).setHeader('Idempotent-Replayed', 'true');
          return stored.response;
        }
        if (stored.lease_left > 0) return inProgress(res, stored.lease_left);
      }
      // A new key, an expired one, or a lapsed lease: this request is the one that runs.
      await em.execute(
        `insert into idempotency_keys (tenant_id, principal_id, key, request_hash) values (?, ?, ?, ?)
           on conflict (tenant_id, principal_id, key) do update set request_hash = excluded.request_hash, status = null, response = null, created_at = now(), claimed_at = now(), claim = gen_random_uuid()`,
        [...ids, hash],
      );
      const result = await lastValueFrom(next.handle(), { defaultValue: null });
      await em.execute(`update idempotency_keys set status = ?, response = ? where tenant_id = ? and principal_id = ? and key = ?`, [status, JSON.stringify(result), ...ids]);
      return result;
    });
  }
}

function inProgress(res: Response, retryAfter: number): never {
  res.setHeader('Retry-After', String(retryAfter));
  throw new AppError('request_in_progress', { meta: { retryAfter } });
}
