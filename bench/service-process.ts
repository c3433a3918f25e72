/**
 * The service as the bench runs it: a process of its own (forked by bench/service.ts), configured by
 * its environment exactly like `npm start` against DATABASE_URL, listening on a free port it reports
 * with the heap limit it runs under.
 */
import 'reflect-metadata';
import v8 from 'node:v8';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/platform/http/create-app';
import { createLogger } from '../src/platform/http/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config, createLogger(config.logLevel));
  await app.listen(0, '127.0.0.1');
  const heapLimitMb = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
  process.send!({ port: (app.getHttpServer().address() as { port: number }).port, heapLimitMb });
  process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
