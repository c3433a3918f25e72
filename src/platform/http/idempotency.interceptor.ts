import { createHash } from 'node:crypto';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { RequestAuth } from '../../modules/access/request-auth';
import { Db } from '../database/db';
import { AppError, fieldError } from './app-error';

interface StoredKey {
  request_hash: string;
  status: number | null;
  response: unknown;
}

/**
 * POST with an `Idempotency-Key`: the first request claims the key; a retry gets the first answer
 * back and writes nothing; the same key with a different request is refused. A failed request frees
 * its key so the client can retry.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly db: Db) {}

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
    const hash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    const ids = [auth.principal.tenantId, auth.principal.id, key];
    const claimed = await this.db.inTenant(auth.principal.tenantId, (em) =>
      em.execute<unknown[]>(
        `insert into idempotency_keys (tenant_id, principal_id, key, request_hash) values (?, ?, ?, ?) on conflict do nothing returning key`,
        [...ids, hash],
      ),
    );
    if (claimed.length === 0) {
      const [stored] = await this.db.inTenant(auth.principal.tenantId, (em) =>
        em.execute<StoredKey[]>(`select request_hash, status, response from idempotency_keys where tenant_id = ? and principal_id = ? and key = ?`, ids),
      );
      if (stored.request_hash !== hash) throw new AppError('idempotency_key_reused');
      if (stored.status === null) throw new AppError('request_in_progress');
      res.status(stored.status).setHeader('Idempotent-Replayed', 'true');
      return stored.response;
    }
    try {
      const result = await lastValueFrom(next.handle(), { defaultValue: null });
      await this.db.inTenant(auth.principal.tenantId, (em) =>
        em.execute(`update idempotency_keys set status = ?, response = ? where tenant_id = ? and principal_id = ? and key = ?`, [status, JSON.stringify(result), ...ids]),
      );
      return result;
    } catch (error) {
      await this.db.inTenant(auth.principal.tenantId, (em) => em.execute(`delete from idempotency_keys where tenant_id = ? and principal_id = ? and key = ?`, ids));
      throw error;
    }
  }
}

