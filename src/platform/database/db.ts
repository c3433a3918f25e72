import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { OptimisticLockError, wrap } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { versionConflict } from '../http/app-error';

/**
 * A request that runs in one transaction (see `Db.inRequestTransaction`): the units of work its
 * handler opens join it, so everything the request changes commits together, or not at all.
 */
interface RequestTransaction {
  tenantId: string;
  /** Until it commits or rolls back: later units (background work started meanwhile) run on their own. */
  open: boolean;
  /** A unit of the request runs right now: units share one connection, so they run one after another. */
  busy: boolean;
  afterCommit: Array<() => void>;
  afterEnd: Array<() => Promise<unknown>>;
}

interface Scope {
  tx: RequestTransaction;
  /** The entity manager to nest into: the request's, or that of the unit this code runs in. */
  em: EntityManager;
  insideUnit: boolean;
}

const requestScope = new AsyncLocalStorage<Scope>();

/**
 * The one way the service touches data: a transaction scoped to a tenant. Row-level security reads
 * the tenant from `app.tenant_id`, which is set for this transaction only, so nothing leaks between
 * requests sharing a pooled connection.
 */
@Injectable()
export class Db {
  constructor(private readonly orm: MikroORM) {}

  /** A unit of work in its own transaction, or, inside a request transaction of the same tenant, a savepoint of it. */
  async inTenant<T>(tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const scope = requestScope.getStore();
    try {
      if (scope?.tx.open && scope.tx.tenantId === tenantId) return await this.joined(scope, work);
      return await this.fork(tenantId).transactional((tx) => work(tx as EntityManager));
    } catch (error) {
      if (error instanceof OptimisticLockError && error.getEntity()) throw await this.conflictWith(tenantId, error.getEntity()!);
      throw error;
    }
  }

  /**
   * Runs a whole request in one transaction that the units of work it opens (`inTenant`) join, so what
   * `work` writes itself (an idempotency key's answer) commits with the change it answers. Work that
   * must wait for the commit (`afterCommit`) or must outlive a rollback (`apart`) runs once it has ended.
   */
  async inRequestTransaction<T>(tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const tx: RequestTransaction = { tenantId, open: true, busy: false, afterCommit: [], afterEnd: [] };
    let result: T;
    try {
      result = await this.inTenant(tenantId, (em) => requestScope.run({ tx, em, insideUnit: false }, () => work(em)));
    } finally {
      tx.open = false;
      for (const later of tx.afterEnd) await requestScope.exit(later);
    }
    for (const launch of tx.afterCommit) requestScope.exit(launch);
    return result;
  }

  /** Starts background work once the data it reads is committed: now, or when the request's transaction commits. */
  afterCommit(launch: () => void): void {
    const scope = requestScope.getStore();
    if (scope?.tx.open) scope.tx.afterCommit.push(launch);
    else requestScope.exit(launch);
  }

  /**
   * A unit of work whose record stays whatever becomes of the request (a refusal on the audit record):
   * its own transaction, after the request's has ended if there is one (it would wait on the locks
   * the request holds), before the request is answered.
   */
  async apart(tenantId: string, work: (em: EntityManager) => Promise<unknown>): Promise<void> {
    const scope = requestScope.getStore();
    if (scope?.tx.open) scope.tx.afterEnd.push(() => this.inTenant(tenantId, work));
    else await requestScope.exit(() => this.inTenant(tenantId, work));
  }

  /** A transaction of its own, even when called from inside a request's (background work woken by one). */
  onItsOwn<T>(tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return requestScope.exit(() => this.inTenant(tenantId, work));
  }

  private async joined<T>(scope: Scope, work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!scope.insideUnit && scope.tx.busy) throw new Error('two units of work at once in one request transaction: await the one before starting the next');
    if (!scope.insideUnit) scope.tx.busy = true;
    try {
      return await scope.em.transactional((unit) => requestScope.run({ tx: scope.tx, em: unit as EntityManager, insideUnit: true }, () => work(unit as EntityManager)));
    } finally {
      if (!scope.insideUnit) scope.tx.busy = false;
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
