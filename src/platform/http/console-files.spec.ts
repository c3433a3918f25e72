import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { serveConsole } from './console-files';

describe('serveConsole', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-console-'));
  const app = express();
  app.use(serveConsole(dir));
  app.use((_req, res) => res.status(404).send('service'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says at / that the console is not built, and leaves every other path to the service', async () => {
    const root = await request(app).get('/').expect(503);
    expect(root.text).toMatch(/npm run console:build/);
    await request(app).get('/cases').expect(404, 'service');
  });

  it('serves the page at page paths and files as they are, never a file outside its folder nor a service path', async () => {
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-1.js'), 'export {};');
    for (const page of ['/', '/cases', '/cases/abc/']) {
      const res = await request(app).get(page).expect(200);
      expect([res.text, res.headers['cache-control']]).toEqual(['<!doctype html><title>console</title>', 'no-cache']);
    }
    expect((await request(app).get('/assets/app-1.js').expect(200)).headers['cache-control']).toMatch(/immutable/);
    await request(app).get('/assets/missing.js').expect(404, 'service');
    await request(app).get('/assets/..%2f..%2fetc%2fpasswd').expect(404);
    for (const own of ['/api', '/api/v1/me', '/health', '/health/live', '/metrics', '/docs', '/docs-json']) await request(app).get(own).expect(404, 'service');
    await request(app).post('/cases').expect(404, 'service');
  });
});
