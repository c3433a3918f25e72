// Builds dist/ (the service, then the console into dist/console) and stamps it with a hash of everything
// the build reads, so `npm start` can skip a build that would change nothing (about 15 s on two cores), yet still builds on a fresh clone.
// A hash rather than mtimes: a fresh clone or a checkout gives every file a new mtime.
//   node scripts/build.mjs               build, then stamp
//   node scripts/build.mjs --if-changed  build only when the sources differ from the stamp
//   node scripts/build.mjs --built       build nothing; say in one line what to do when dist/ is missing (start:prod)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['src', 'migrations', 'seeds', 'console', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json', 'package-lock.json'];
/** Generated from src (npm run api:client), so already hashed there; a fresh clone has none until the typecheck makes it. */
const GENERATED = new Set([path.join('console', 'src', 'api', 'api.d.ts')]);
const ENTRY = path.join(ROOT, 'dist', 'src', 'main.js');
const CONSOLE_ENTRY = path.join(ROOT, 'dist', 'console', 'index.html');

function sourceHash() {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    const full = path.join(ROOT, input);
    if (!fs.existsSync(full)) continue;
    const files = fs.statSync(full).isDirectory()
      ? fs.readdirSync(full, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name))
      : [full];
    for (const file of files.sort()) {
      if (GENERATED.has(path.relative(ROOT, file))) continue;
      hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

if (process.argv.includes('--built')) {
  if (fs.existsSync(ENTRY) && fs.existsSync(CONSOLE_ENTRY)) process.exit(0);
  process.stderr.write('tsunagi is not built: dist/src/main.js or dist/console is missing. Build it where the development dependencies are installed (npm ci && npm run build), then npm prune --omit=dev, and start again.\n');
  process.exit(1);
}

const current = sourceHash();
const upToDate = fs.existsSync(ENTRY) && fs.existsSync(CONSOLE_ENTRY) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === current;
if (process.argv.includes('--if-changed') && upToDate) process.exit(0);

const nest = path.join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
if (!fs.existsSync(nest)) {
  process.stderr.write('tsunagi cannot build: the build tools are development dependencies. Run `npm ci` (without --omit=dev), then build.\n');
  process.exit(1);
}
const build = spawnSync(process.execPath, [nest, 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// After Nest's build, which empties dist/: the console goes into dist/console.
const consoleBuild = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-console.mjs')], { cwd: ROOT, stdio: 'inherit' });
if (consoleBuild.status !== 0) process.exit(consoleBuild.status ?? 1);
fs.writeFileSync(STAMP, `${current}\n`);
