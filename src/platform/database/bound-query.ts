import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, type QueryResult } from 'kysely';

/** What MikroORM hands a transactional callback (a Kysely transaction or savepoint). */
interface TransactionConnection {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/**
 * Runs one statement on the connection of `em`'s transaction with its parameters sent as bind values
 * (`$1`, `$2` … in the SQL). `em.execute` inlines every parameter into the SQL text (MikroORM's
 * `formatQuery` escapes it a character at a time), which for a parameter of megabytes — a batch of an
 * import as JSON — costs seconds and hundreds of MB; here the driver sends it as it is. The statement
 * is logged (without its parameters) and its error converted like `em.execute`'s.
 *
 * Only inside a transaction (`Db.inTenant`): that is where the tenant's session settings hold.
 */
export async function boundQuery<R extends object = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
  const trx = em.getTransactionContext<TransactionConnection>();
  if (!trx) throw new Error('boundQuery runs inside a transaction (Db.inTenant)');
  const started = Date.now();
  try {
    const result = await trx.executeQuery(CompiledQuery.raw(sql, [...params]) as CompiledQuery<R>);
    em.config.getLogger().logQuery({ query: sql, took: Date.now() - started, results: result.rows.length, level: 'info' });
    return result;
  } catch (error) {
    em.config.getLogger().logQuery({ query: sql, took: Date.now() - started, level: 'error' });
    throw em.getDriver().convertException(error as Error);
  }
}

/** The rows of a bound statement. */
export async function boundRows<R extends object = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<R[]> {
  return (await boundQuery<R>(em, sql, params)).rows;
}
