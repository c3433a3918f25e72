import { Injectable } from '@nestjs/common';
import type { TransactionEventArgs } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Counter } from 'prom-client';
import { Metrics } from '../../platform/observability/metrics';
import { AuditSealer } from './audit-sealer';

interface Pending {
  rows: number;
  tenants: Set<string>;
}

/**
 * Counts audit rows for the metrics once their transaction has committed (a row whose transaction
 * rolled back was never appended), and wakes the sealer of each tenant they belong to. Rows are noted against the transaction's entity manager, which
 * MikroORM names again when that transaction commits or rolls back.
 */
@Injectable()
export class AppendedAuditRows {
  private readonly pending = new WeakMap<EntityManager, Pending>();
  private readonly appended: Counter;

  constructor(metrics: Metrics, orm: MikroORM, sealer: AuditSealer) {
    this.appended = new Counter({ name: 'tsunagi_audit_rows_appended_total', help: 'Audit log rows appended by committed transactions of this instance', registers: [metrics.registry] });
    orm.em.getEventManager().registerSubscriber({
      afterTransactionCommit: ({ em, transaction }: TransactionEventArgs) => {
        // A savepoint released is not yet a commit: its rows wait for the transaction around it.
        if (transaction && 'savepointName' in transaction) return;
        const done = this.take(em as EntityManager);
        if (!done) return;
        this.appended.inc(done.rows);
        for (const tenantId of done.tenants) sealer.wake(tenantId);
      },
      afterTransactionRollback: ({ em }: TransactionEventArgs) => void this.take(em as EntityManager),
    });
  }

  /** Rows of `tenantId` appended in `em`'s transaction (one unless told), to be counted and sealed when it commits. */
  note(em: EntityManager, tenantId: string, rows = 1): void {
    const pending = this.pending.get(em) ?? { rows: 0, tenants: new Set<string>() };
    pending.rows += rows;
    pending.tenants.add(tenantId);
    this.pending.set(em, pending);
  }

  private take(em: EntityManager): Pending | undefined {
    const pending = this.pending.get(em);
    this.pending.delete(em);
    return pending;
  }
}
