import type pg from 'pg';

/** How long closing the pool waits for connections still checked out before it ends them itself. */
export const POOL_END_GRACE_MS = 10_000;

/**
 * Keeps the pool from losing connections to a server that went away, and its closing from waiting
 * on them forever (see both functions below).
 */
export function guardPool(pool: pg.Pool, { endGraceMs = POOL_END_GRACE_MS, onCut = () => undefined }: { endGraceMs?: number; onCut?: (count: number) => void } = {}): void {
  const checkedOut = releaseDeadConnections(pool);
  boundEnd(pool, checkedOut, endGraceMs, onCut);
}

/**
 * Gives the pool back a connection the server dropped while it was checked out. Kysely releases a
 * transaction's connection only after a successful commit or rollback: when the server went away
 * mid-transaction (a restart, a crash, a terminated backend) the rollback fails and the connection
 * would stay checked out for good, so every database crash would shrink the pool until nothing
 * answers. Released with an error, pg-pool discards it; a late release by its holder does nothing.
 * Returns the connections checked out right now.
 */
function releaseDeadConnections(pool: pg.Pool): Set<pg.PoolClient> {
  const checkedOut = new Set<pg.PoolClient>();
  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<pg.PoolClient> | void;
  // Kysely takes connections with the promise form; the callback form is passed through as it is.
  pool.connect = ((callback?: unknown) => (callback ? connect(callback) : (connect() as Promise<pg.PoolClient>).then((client) => guard(client, checkedOut)))) as typeof pool.connect;
  return checkedOut;
}

function guard(client: pg.PoolClient, checkedOut: Set<pg.PoolClient>): pg.PoolClient {
  const release = client.release;
  let released = false;
  const onEnd = () => once(new Error('the server closed the connection while it was checked out'));
  const once = (error?: Error | boolean) => {
    if (released) return;
    released = true;
    checkedOut.delete(client);
    client.off('end', onEnd);
    release(error);
  };
  checkedOut.add(client);
  client.once('end', onEnd);
  client.release = once;
  return client;
}

/**
 * Closing the pool waits until every checked-out connection comes back. One whose holder lost track
 * of it after the server restarted (seen rarely, after a kill -9 of the embedded server) would hold
 * the service's shutdown forever: after the grace, such connections are ended here, which gives them
 * back through the guard above, and the pool closes.
 */
function boundEnd(pool: pg.Pool, checkedOut: Set<pg.PoolClient>, graceMs: number, onCut: (count: number) => void): void {
  const end = pool.end.bind(pool);
  pool.end = (() => {
    const ended = end();
    const cut = setTimeout(() => {
      if (checkedOut.size === 0) return;
      onCut(checkedOut.size);
      for (const client of checkedOut) void client.end().catch(() => undefined);
    }, graceMs);
    cut.unref();
    return ended.finally(() => clearTimeout(cut));
  }) as typeof pool.end;
}
