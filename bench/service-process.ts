/**
 * The service as the bench runs it: a process of its own (forked by bench/service.ts), configured by
 * its environment exactly like `npm start` against DATABASE_URL, listening on a free port it reports.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/platform/http/create-app';
import { createLogger } from '../src/platform/http/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config, createLogger(config.logLevel));
  await app.listen(0, '127.0.0.1');
  process.send!({ port: (app.getHttpServer().address() as { port: number }).port });
  process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
