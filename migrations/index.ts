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
  // By file, extension included: a loader hook need not guess it (Node's own resolution adds none for .ts).
  const files = new Map<string, string>();
  for (const file of fs.readdirSync(dir).sort()) {
    const name = MIGRATION_FILE.exec(file)?.[1];
    if (name && !files.has(name)) files.set(name, file);
  }
  return [...files].map(([name, file]) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: the one loader every runner hooks
    const exported = (require(path.join(dir, file)) as Record<string, MigrationObject['class'] | undefined>)[name];
    if (typeof exported !== 'function') throw new Error(`${name} in ${dir} must export a class named ${name}`);
    return { name, class: exported };
  });
}

/** Every migration of this folder, in order. */
export const migrationsList = discoverMigrations(__dirname);
