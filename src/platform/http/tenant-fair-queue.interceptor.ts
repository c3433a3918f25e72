import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { RequestAuth } from '../../modules/access/request-auth';
import { TenantWorkQueue } from '../tenant-work-queue';

/**
 * A signed-in request's work (its transaction and what it computes) waits its turn in the queue fair
 * between tenants (TenantWorkQueue), so a tenant sending many requests at once fills its own line, not
 * everyone's. Nothing is refused. Runs after the body is read: a slow upload holds no slot.
 */
@Injectable()
export class TenantFairQueueInterceptor implements NestInterceptor {
  constructor(private readonly queue: TenantWorkQueue) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const auth = context.switchToHttp().getRequest<Request & { auth?: RequestAuth }>().auth;
    if (!auth) return next.handle();
    return from(this.queue.request(auth.principal.tenantId, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
