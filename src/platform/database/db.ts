import { Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';

/**
 * The one way the service touches data: a transaction scoped to a tenant. Row-level security reads
 * the tenant from `app.tenant_id`, which is set for this transaction only, so nothing leaks between
 * requests sharing a pooled connection.
 */
@Injectable()
export class Db {
  constructor(private readonly orm: MikroORM) {}

  inTenant<T>(tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const em = this.orm.em.fork({ clear: true });
    em.setSessionContext({ variables: { 'app.tenant_id': tenantId } });
    return em.transactional((tx) => work(tx as EntityManager));
  }

  async ping(): Promise<void> {
    await this.orm.em.fork().execute('select 1');
  }
}
