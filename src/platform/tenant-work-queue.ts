import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FairQueue } from './concurrency-limit';

/**
 * Several municipalities on one service share one fair queue of work (REQUEST_CONCURRENCY,
 * TENANT_CONCURRENCY): their signed-in requests, and the work those requests' events cause after
 * commit (criteria evaluations), which a tenant wanting more than its share pays for out of that share.
 * A tenant writing many cases at once then slows its own line, not another tenant's requests.
 */
@Injectable()
export class TenantWorkQueue {
  private readonly queue: FairQueue;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.queue = new FairQueue(config.requestConcurrency.total, config.requestConcurrency.perTenant);
  }

  /** A request's work, in its tenant's line. */
  request<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(tenantId, work);
  }

  /**
   * Work a tenant's committed events caused. A tenant that wants more than its share while other
   * tenants are active (its requests wait) runs it in its share, before those requests. Any other runs
   * it beside its requests: a tenant alone has nobody to slow down (its throughput is not cut for it),
   * and a tenant within its share would only wait for its own evaluations.
   */
  caused<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.contended(tenantId) ? this.queue.run(tenantId, work, { ahead: true }) : work();
  }
}
