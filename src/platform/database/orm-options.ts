import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { SeedManager } from '@mikro-orm/seeder';
import { migrationsList } from '../../../migrations';
import { APP_ROLE } from '../../../migrations/support/tenant-table';
import { ENTITIES } from '../../entities';

const CONNECT_TIMEOUT_MS = 5_000;

export type OrmOptions = ReturnType<typeof ormOptions>;

/**
 * `asService`: connections start as the service role, so row-level security applies to every query
 * and a forgotten tenant finds nothing. Without it (migrations, seeds) the owner connects.
 */
export function ormOptions(url: string, { asService, debug = false }: { asService: boolean; debug?: boolean }) {
  return defineConfig({
    clientUrl: url,
    entities: ENTITIES,
    extensions: [Migrator, SeedManager],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // A connection attempt to a server that is going down or coming up can hang without answering:
    // give up after a few seconds, so a request gets its 503 and shutdown never waits on it forever.
    driverOptions: { connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...(asService ? { options: `-c role=${APP_ROLE}` } : {}) },
    pool: { min: 0, max: 10 },
    allowGlobalContext: false,
    ensureDatabase: false,
    debug,
  });
}
