import { Logger } from '@nestjs/common';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { SeedManager } from '@mikro-orm/seeder';
import type pg from 'pg';
import { migrationsList } from '../../../migrations';
import { ENTITIES } from '../../entities';
import { guardPool, POOL_END_GRACE_MS } from './dead-connections';

const CONNECT_TIMEOUT_MS = 5_000;

const warnOfCut = (count: number) =>
  new Logger('database').warn(`closing the pool: ${count} connection(s) still checked out after ${POOL_END_GRACE_MS / 1000} s were ended`);

export type OrmOptions = ReturnType<typeof ormOptions>;

/**
 * The same options for both logins: the service's (row-level security applies to it, it owns nothing)
 * and the owner's, which applies migrations and seeds.
 */
export function ormOptions(url: string, { debug = false, poolMax = 10 }: { debug?: boolean; poolMax?: number } = {}) {
  return defineConfig({
    clientUrl: url,
    entities: ENTITIES,
    extensions: [Migrator, SeedManager],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // A connection attempt to a server that is going down or coming up can hang without answering:
    // give up after a few seconds, so a request gets its 503 and shutdown never waits on it forever.
    driverOptions: { connectionTimeoutMillis: CONNECT_TIMEOUT_MS, onPoolCreated: (pool: pg.Pool) => guardPool(pool, { onCut: warnOfCut }) },
    pool: { min: 0, max: poolMax },
    allowGlobalContext: false,
    ensureDatabase: false,
    debug,
  });
}
