import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';

export type Alone<T> = { ran: true; result: T } | { ran: false };

/**
 * One instance at a time for background work, when several instances share one PostgreSQL: a
 * transaction-scoped advisory lock per job and scope (tenant, campaign…), taken with `try` so it
 * never waits and never blocks request traffic. It is held by a transaction of its own for as long as
 * the work runs (the work commits on its own connections, before the lock goes), and it goes with
 * the connection if the instance dies, so no job stays claimed by a dead instance.
 */
@Injectable()
export class JobLock {
  constructor(private readonly orm: MikroORM) {}

  /** Runs `work` unless another instance is running the same job and scope right now. */
  async runAlone<T>(job: string, scope: string, work: () => Promise<T>): Promise<Alone<T>> {
    // An explicit begin rather than `transactional`: no async context, so the work's own transactions stay separate.
    const em = this.orm.em.fork();
    await em.begin();
    try {
      const [{ locked }] = await em.execute<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(hashtext(?), hashtext(?)) as locked`, [`tsunagi:${job}`, scope]);
      const outcome: Alone<T> = locked ? { ran: true, result: await work() } : { ran: false };
      await em.commit();
      return outcome;
    } catch (error) {
      await em.rollback().catch(() => undefined);
      throw error;
    }
  }
}
