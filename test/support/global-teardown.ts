import fs from 'node:fs';
import { dropDatabase } from '../../src/platform/database/prepare-database';
import { dropRoles } from '../../src/platform/database/database-roles';
import type { EmbeddedServer } from '../../src/platform/database/embedded-postgres';
import { TEST_ENV } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env[TEST_ENV.serverUrl];
  const template = process.env[TEST_ENV.template];
  const roles = process.env[TEST_ENV.roles];
  if (serverUrl && template) await dropDatabase(serverUrl, template);
  // After the databases: a role is dropped only once nothing in the cluster belongs to it.
  if (serverUrl && roles) await dropRoles(serverUrl, JSON.parse(roles));
  const embedded = (globalThis as { __embedded?: EmbeddedServer & { dir: string } }).__embedded;
  if (embedded) {
    await embedded.stop();
    fs.rmSync(embedded.dir, { recursive: true, force: true });
  }
}
