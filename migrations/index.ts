import fs from 'node:fs';
import path from 'node:path';
import type { MigrationObject } from '@mikro-orm/core';

/** What `npm run migration:create -- --name x` writes (and what the hand-written ones are called). */
const MIGRATION_FILE = /^(Migration\d{14}(?:_[\p{ID_Continue}$]+)?)\.(?:ts|js)$/u;

/**
 * The migrations in `dir`, in the order of their timestamps, found by file name: a new one is picked up
 * without editing a list. Loaded with `require`, which Node (dist), tsx (the CLI) and Jest (its
 * transform) all hook, so they load the same way everywhere — a glob handed to MikroORM would be
 * imported natively, past Jest's transform.
 */
export function discoverMigrations(dir: string): MigrationObject[] {
  const names = [...new Set(fs.readdirSync(dir).flatMap((file) => MIGRATION_FILE.exec(file)?.[1] ?? []))].sort();
  return names.map((name) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: the one loader every runner hooks
    const exported = (require(path.join(dir, name)) as Record<string, MigrationObject['class'] | undefined>)[name];
    if (typeof exported !== 'function') throw new Error(`${name} in ${dir} must export a class named ${name}`);
    return { name, class: exported };
  });
}

/** Every migration of this folder, in order. */
export const migrationsList = discoverMigrations(__dirname);
