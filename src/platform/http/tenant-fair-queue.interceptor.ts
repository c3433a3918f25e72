import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { RequestAuth } from '../../modules/access/request-auth';
import { FairQueue } from '../concurrency-limit';

/**
 * Several municipalities on one service: a signed-in request's work (its transaction and what it
 * computes) waits its turn in a queue fair between tenants (REQUEST_CONCURRENCY, TENANT_CONCURRENCY),
 * so a tenant sending many requests at once fills its own line, not everyone's. Nothing is refused.
 * Runs after the body is read: a slow upload holds no slot.
 */
@Injectable()
export class TenantFairQueueInterceptor implements NestInterceptor {
  private readonly queue: FairQueue;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.queue = new FairQueue(config.requestConcurrency.total, config.requestConcurrency.perTenant);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const auth = context.switchToHttp().getRequest<Request & { auth?: RequestAuth }>().auth;
    if (!auth) return next.handle();
    return from(this.queue.run(auth.principal.tenantId, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
