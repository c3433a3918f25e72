import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from './src/config/config';
import { resolveLogins } from './src/platform/database/prepare-database';
import { ormOptions } from './src/platform/database/orm-options';

/**
 * The MikroORM CLI's configuration (`npm run migration:create|list|up`): the service's own ORM options,
 * connected as the owner that applies migrations, found the way `npm start` finds it — the embedded
 * PostgreSQL in DATA_DIR when DATABASE_URL is unset, else MIGRATION_DATABASE_URL (or a superuser's
 * DATABASE_URL in development, which provisions the owner).
 */
export default async function cliConfig() {
  const { logins, embedded } = await resolveLogins(loadConfig());
  const options = ormOptions(logins.ownerUrl);
  const migrations = {
    ...options.migrations,
    silent: false,
    // Written as TypeScript beside the others; migrations/index.ts finds them by name.
    path: 'dist/migrations',
    pathTs: 'migrations',
    emit: 'ts' as const,
  };
  // The CLI closes the ORM when its command is done, never the server: an embedded one stops with it,
  // else its process would keep the CLI from exiting.
  const stopEmbeddedWithOrm = {
    register(orm: MikroORM) {
      const close = orm.close.bind(orm);
      orm.close = async (force?: boolean) => {
        await close(force);
        await embedded?.stop();
      };
    },
  };
  return { ...options, migrations, extensions: [...(options.extensions ?? []), stopEmbeddedWithOrm] };
}
