import pg from 'pg';
import { guardPool } from '../../src/platform/database/dead-connections';
import { TEST_ENV } from '../support/test-env';

/** The pool the service uses, guarded, against the tests' real server. */
describe('the guarded connection pool', () => {
  const serverUrl = process.env[TEST_ENV.serverUrl]!;
  const pools: pg.Pool[] = [];
  const guarded = (options: Parameters<typeof guardPool>[1] = {}) => {
    const pool = new pg.Pool({ connectionString: serverUrl, max: 2 });
    guardPool(pool, options);
    // As MikroORM does: a connection the server ends reports an error its holder may not be listening for.
    pool.on('connect', (client) => client.on('error', () => undefined));
    pools.push(pool);
    return pool;
  };
  afterAll(async () => {
    for (const pool of pools) if (!pool.ended) await pool.end().catch(() => undefined);
  });

  it('gets back a connection the server ended while it was checked out, so the pool does not shrink', async () => {
    const pool = guarded();
    const held = await pool.connect();
    const second = await pool.connect();
    const [{ pid }] = (await held.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
    await second.query('select pg_terminate_backend($1)', [pid]);
    for (let i = 0; i < 100 && pool.totalCount > 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool.totalCount).toBe(1);
    // Both slots serve again: the dead one's was given back.
    const third = await pool.connect();
    expect((await third.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    third.release();
    second.release();
    held.release(); // its holder's late release does nothing
    expect(pool.totalCount).toBe(2);
  });

  it('closes even when a holder never gives its connection back, ending it after the grace', async () => {
    const cut: number[] = [];
    const pool = guarded({ endGraceMs: 200, onCut: (count) => cut.push(count) });
    const lost = await pool.connect();
    await lost.query('select 1');
    const returned = await pool.connect();
    returned.release();

    await pool.end();
    expect(cut).toEqual([1]);
    expect(pool.totalCount).toBe(0);
    await expect(lost.query('select 1')).rejects.toThrow();
  });

  it('does not cut anything when every connection comes back in time', async () => {
    const cut: number[] = [];
    const pool = guarded({ endGraceMs: 5_000, onCut: (count) => cut.push(count) });
    const client = await pool.connect();
    const ending = pool.end();
    setTimeout(() => client.release(), 50);
    await ending;
    expect(cut).toEqual([]);
  });
});
