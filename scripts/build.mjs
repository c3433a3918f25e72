// Builds dist/ (the service, and beside it the console into dist/console) and stamps it with a hash of
// everything the build reads, so `npm start` can skip a build that would change nothing, yet still builds on a fresh clone.
// The service is transpiled file by file by TypeScript itself, as the tests' loader does (the same code
// `nest build` emitted, but for a guard around the decorator metadata of imported types): checking the
// types is `npm run typecheck`'s job (npm test runs it), not every start's — it was most of a fresh clone's build.
// A hash rather than mtimes: a fresh clone or a checkout gives every file a new mtime.
//   node scripts/build.mjs               build, then stamp
//   node scripts/build.mjs --if-changed  build only when the sources differ from the stamp
//   node scripts/build.mjs --built       build nothing; say in one line what to do when dist/ is missing (start:prod)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['src', 'migrations', 'seeds', 'console', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/build-console.mjs'];
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

const typescript = path.join(ROOT, 'node_modules', 'typescript');
if (!fs.existsSync(typescript)) {
  process.stderr.write('tsunagi cannot build: the build tools are development dependencies. Run `npm ci` (without --omit=dev), then build.\n');
  process.exit(1);
}
fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
// The console (Vite, in a process of its own) builds while the service is transpiled here.
const consoleChild = spawn(process.execPath, [path.join(ROOT, 'scripts', 'build-console.mjs')], { cwd: ROOT, stdio: 'inherit' });
const consoleBuild = new Promise((resolve) => consoleChild.once('exit', (code) => resolve(code ?? 1)));
if (!transpile((await import('typescript')).default)) {
  consoleChild.kill();
  process.exit(1);
}
const consoleStatus = await consoleBuild;
if (consoleStatus !== 0) process.exit(consoleStatus);
fs.writeFileSync(STAMP, `${current}\n`);

/** tsconfig.build.json's files into dist/, as tsc would lay them out (maps and the package.json it reads included); false on a syntax error. */
function transpile(ts) {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.build.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  const { rootDir, outDir } = config.options;
  for (const fileName of config.fileNames) {
    const out = path.join(outDir, path.relative(rootDir, fileName)).replace(/\.ts$/, '.js');
    const { outputText, sourceMapText, diagnostics } = ts.transpileModule(fs.readFileSync(fileName, 'utf8'), { compilerOptions: config.options, fileName, reportDiagnostics: true });
    if (diagnostics?.length) {
      process.stderr.write(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (name) => name, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' }));
      return false;
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, outputText);
    if (sourceMapText) fs.writeFileSync(`${out}.map`, sourceMapText);
  }
  // `import packageJson from '../package.json'` (resolveJsonModule): tsc emits it beside the code.
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(outDir, 'package.json'));
  return true;
}
