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
  const database = await prepareDatabase(config).catch((error: Error) => fail(`Database: ${error.message}`));
  if (config.auth.mode === 'built-in') await ensureIssuerKeys(config.auth.keyDir);
  const app = await createApp({ ...config, database: { ...config.database, url: database.url } }, logger);
  app.enableShutdownHooks();
  process.once('SIGINT', () => void app.close().finally(() => database.embedded?.stop()));
  process.once('SIGTERM', () => void app.close().finally(() => database.embedded?.stop()));
  await app.listen(config.port);

  const base = `http://localhost:${config.port}`;
  const lines = [
    `tsunagi is running at ${base}`,
    `  database: ${database.embedded ? `embedded PostgreSQL, data in ${config.dataDir}` : 'DATABASE_URL'}${database.seeded ? ' (demo data loaded)' : ''}`,
    config.apiDocs ? `  API docs: ${base}/docs   (OpenAPI JSON: ${base}/docs-json)` : '  API docs: off (API_DOCS=true serves them)',
    `  health:   ${base}/health`,
    config.auth.mode === 'built-in'
      ? `  token:    TOKEN=$(npm run -s token -- choju-counselor) && curl -H "Authorization: Bearer $TOKEN" ${base}/api/v1/me`
      : `  tokens come from ${config.auth.issuer}`,
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

function fail(message: string): never {
  process.stderr.write(`tsunagi could not start.\n${message}\n`);
  process.exit(1);
}

void main();
