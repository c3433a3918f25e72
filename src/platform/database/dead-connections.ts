import type pg from 'pg';

/**
 * Gives the pool back a connection the server dropped while it was checked out. Kysely releases a
 * transaction's connection only after a successful commit or rollback: when the server went away
 * mid-transaction (a restart, a crash, a terminated backend) the rollback fails and the connection
 * would stay checked out for good, so every database crash would shrink the pool until nothing
 * answers. Released with an error, pg-pool discards it; a late release by its holder does nothing.
 */
export function releaseDeadConnections(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<pg.PoolClient> | void;
  // Kysely takes connections with the promise form; the callback form is passed through as it is.
  pool.connect = ((callback?: unknown) => (callback ? connect(callback) : (connect() as Promise<pg.PoolClient>).then(guard))) as typeof pool.connect;
}

function guard(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  let released = false;
  const onEnd = () => once(new Error('the server closed the connection while it was checked out'));
  const once = (error?: Error | boolean) => {
    if (released) return;
    released = true;
    client.off('end', onEnd);
    release(error);
  };
  client.once('end', onEnd);
  client.release = once;
  return client;
}
