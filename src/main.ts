import { keepCompiledModules } from './platform/compile-cache';
import './platform/bounded-heap';
import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from './config/config';
import { ensureIssuerKeys } from './platform/auth/issuer-keys';
import { prepareDatabase } from './platform/database/prepare-database';
import { createApp } from './platform/http/create-app';
import { createLogger } from './platform/http/logger';
import { keepServingOnStrayErrors } from './platform/stray-errors';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel);
  keepServingOnStrayErrors(logger);
  const database = await prepareDatabase(config, { onEmbeddedRestart: (message) => logger.warn({ component: 'embedded-postgres' }, message) }).catch((error: unknown) => fail(`Database: ${causeOf(error)}`));
  if (config.auth.mode === 'built-in') await ensureIssuerKeys(config.auth.keyDir);
  const app = await createApp({ ...config, database: { ...config.database, url: database.url } }, logger);
  try {
    await app.init(); // refuses an unsafe database login (see platform/database/login-policy.ts)
  } catch (error) {
    await app.close().catch(() => undefined);
    await database.embedded?.stop();
    return fail(causeOf(error));
  }
  // One orderly stop: the app's shutdown hooks (a last audit checkpoint), then its database, then exit.
  // A second signal leaves at once; the embedded server is still told to stop on the way out.
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    await app.close().catch(() => undefined);
    await database.embedded?.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());
  await app.listen(config.port);
  keepCompiledModules();

  const base = `http://localhost:${config.port}`;
  const lines = [
    `tsunagi is running at ${base}`,
    `  database: ${database.embedded ? `embedded PostgreSQL, data in ${database.embedded.dataDir}` : 'DATABASE_URL'}, as ${new URL(database.url).username}${database.seeded ? ' (demo data loaded)' : ''}`,
    ...(database.embedded?.notices ?? []).map((notice) => `            ${notice}`),
    config.apiDocs ? `  API docs: ${base}/docs   (OpenAPI JSON: ${base}/docs-json)` : '  API docs: off (API_DOCS=true serves them)',
    `  health:   ${base}/health/live and ${base}/health/ready   metrics: ${config.metrics.enabled ? `${base}/metrics` : 'off'}`,
    config.auth.mode === 'external'
      ? `  tokens come from ${config.auth.issuer}`
      : // The demo logins exist only where demo data is loaded (the embedded default, or SEED_DEMO=true).
        config.seedDemo
        ? `  token:    TOKEN=$(npm run -s token -- choju-counselor) && curl -H "Authorization: Bearer $TOKEN" ${base}/api/v1/me`
        : '  tokens: the built-in issuer signs them (src/cli/token.ts); no demo logins here (SEED_DEMO=true loads them into an empty database)',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** A boot error's cause in words, whatever was thrown (a library may reject with nothing at all). */
function causeOf(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(causeOf).join('; ');
  if (error instanceof Error) return error.message || error.name;
  return error === undefined ? 'an error without a cause (undefined was thrown)' : String(error);
}

function fail(message: string): never {
  process.stderr.write(`tsunagi could not start.\n${message}\n`);
  process.exit(1);
}

main().catch((error: unknown) => fail(causeOf(error)));
