// Builds the console (console/, React + Vite) into dist/console, which the service serves at `/`,
// and prints the JavaScript a first load fetches, gzipped: the budget is 300 KB.
//   node scripts/build-console.mjs      (npm run console:build; npm run build and npm start run it too)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'dist', 'console');
const BUDGET_BYTES = 300 * 1024;

const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
if (!fs.existsSync(vite)) {
  process.stderr.write('The console cannot be built: Vite is a development dependency. Run `npm ci` (without --omit=dev), then build.\n');
  process.exit(1);
}
const build = spawnSync(process.execPath, [vite, 'build', '--config', path.join(ROOT, 'console', 'vite.config.mts'), '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// What index.html loads: its module scripts and their static imports (Vite lists them as modulepreload).
const html = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gzipped = scripts.reduce((sum, file) => sum + gzipSync(fs.readFileSync(path.join(OUT, file))).length, 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
process.stderr.write(`console: dist/console, first load ${kb(gzipped)} of JavaScript gzipped (budget ${kb(BUDGET_BYTES)})\n`);
if (gzipped > BUDGET_BYTES) {
  process.stderr.write('console: over the first-load budget — split a route or drop a dependency.\n');
  process.exit(1);
}
