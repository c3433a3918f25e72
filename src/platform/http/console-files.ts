import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/** Paths the service answers itself: the console never shadows them, not even with its index page. */
const SERVICE_PATHS = /^\/(api|health|metrics|docs)(\/|-|$)/;

/**
 * Where `npm run console:build` leaves the console: dist/console, found from this file whether it runs
 * built (dist/src/platform/http) or from source (src/platform/http, as the tests run it).
 */
export function consoleDir(): string {
  const up = path.resolve(__dirname, '../../..');
  return path.basename(up) === 'dist' ? path.join(up, 'console') : path.join(up, 'dist', 'console');
}

/**
 * The console (つなぎ コンソール) at `/`, same origin as the API: its files, and its index page for
 * any other path a browser asks for (the console routes in the page). Hashed assets are kept for a
 * year; the index page is revalidated on every load, so a new build is picked up at once.
 */
export function serveConsole(dir = consoleDir()) {
  const index = path.join(dir, 'index.html');
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVICE_PATHS.test(req.path)) return next();
    if (!fs.existsSync(index)) {
      if (req.path !== '/') return next();
      res.status(503).type('text/plain; charset=utf-8').send('The console is not built: run `npm run console:build` (npm start builds it).\nコンソールが未ビルドです。\n');
      return;
    }
    const file = path.join(dir, path.normalize(req.path));
    const isAsset = req.path !== '/' && file.startsWith(dir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile();
    if (isAsset) {
      const hashed = req.path.startsWith('/assets/');
      res.sendFile(file, { headers: { 'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache' } });
      return;
    }
    // A missing file (an old asset, a typo) is a 404, not the page: only page paths get the page.
    if (path.extname(req.path)) return next();
    res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } });
  };
}
