import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FairQueue } from './concurrency-limit';

/**
 * Several municipalities on one service share one fair queue of work (REQUEST_CONCURRENCY,
 * TENANT_CONCURRENCY): their signed-in requests, and the work those requests' events cause after
 * commit (criteria evaluations), which a tenant pays for out of its own share while other tenants are
 * active. A tenant writing many cases at once then slows its own line, not another tenant's requests.
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
   * Work a tenant's committed events caused: while other tenants are active, before its waiting
   * requests within its share; a tenant alone has nobody to slow down, and its work runs beside its
   * requests (as many of them as before, so one tenant's throughput is not cut for it).
   */
  caused<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.othersActive(tenantId) ? this.queue.run(tenantId, work, { ahead: true }) : work();
  }
}
