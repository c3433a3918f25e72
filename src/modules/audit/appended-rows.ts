import { Injectable } from '@nestjs/common';
import type { TransactionEventArgs } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Counter } from 'prom-client';
import { Metrics } from '../../platform/observability/metrics';

/**
 * Counts audit rows for the metrics once their transaction has committed: a row whose transaction
 * rolled back was never appended. Rows are noted against the transaction's entity manager, which
 * MikroORM names again when that transaction commits or rolls back.
 */
@Injectable()
export class AppendedAuditRows {
  private readonly pending = new WeakMap<EntityManager, number>();
  private readonly appended: Counter;

  constructor(metrics: Metrics, orm: MikroORM) {
    this.appended = new Counter({ name: 'tsunagi_audit_rows_appended_total', help: 'Audit log rows appended by committed transactions of this instance', registers: [metrics.registry] });
    orm.em.getEventManager().registerSubscriber({
      afterTransactionCommit: ({ em, transaction }: TransactionEventArgs) => {
        // A savepoint released is not yet a commit: its rows wait for the transaction around it.
        if (transaction && 'savepointName' in transaction) return;
        this.appended.inc(this.take(em as EntityManager));
      },
      afterTransactionRollback: ({ em }: TransactionEventArgs) => void this.take(em as EntityManager),
    });
  }

  /** Rows appended in `em`'s transaction (one unless told), to be counted when it commits. */
  note(em: EntityManager, rows = 1): void {
    this.pending.set(em, (this.pending.get(em) ?? 0) + rows);
  }

  private take(em: EntityManager): number {
    const count = this.pending.get(em) ?? 0;
    this.pending.delete(em);
    return count;
  }
}
