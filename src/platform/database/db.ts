import { Injectable } from '@nestjs/common';
import { OptimisticLockError, wrap } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { versionConflict } from '../http/app-error';

/**
 * The one way the service touches data: a transaction scoped to a tenant. Row-level security reads
 * the tenant from `app.tenant_id`, which is set for this transaction only, so nothing leaks between
 * requests sharing a pooled connection.
 */
@Injectable()
export class Db {
  constructor(private readonly orm: MikroORM) {}

  async inTenant<T>(tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.fork(tenantId).transactional((tx) => work(tx as EntityManager));
    } catch (error) {
      if (error instanceof OptimisticLockError && error.getEntity()) throw await this.conflictWith(tenantId, error.getEntity()!);
      throw error;
    }
  }

  /** Someone committed first: answer with the version they left, so the client knows what to reload. */
  private async conflictWith(tenantId: string, stale: object): Promise<Error> {
    const meta = wrap(stale, true).__meta;
    const current = await this.fork(tenantId).findOne(meta.class, wrap(stale, true).getPrimaryKey() as never);
    return versionConflict((current as { version?: number } | null)?.version ?? 0);
  }

  private fork(tenantId: string): EntityManager {
    const em = this.orm.em.fork({ clear: true });
    em.setSessionContext({ variables: { 'app.tenant_id': tenantId } });
    return em as EntityManager;
  }

  async ping(): Promise<void> {
    await this.orm.em.fork().execute('select 1');
  }
}
