import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canReach, describeUser, EmbeddedPostgresError, makeEnterableFolder, STAGING_ROOT, type RunAs } from './os-access';
import { stopLeftoverPostmaster } from './postmaster';

/** The folder that holds the cluster (`cluster/`), its superuser password, its log and its owner's pid. */
export interface ClusterHome {
  dir: string;
  /** Set when `dir` had to be placed under STAGING_ROOT: this path (DATA_DIR/postgres) links to it. */
  linkedFrom?: string;
  notices: string[];
}

/**
 * The cluster lives in `requested` when PostgreSQL's OS user can enter it. As root in a folder the OS user
 * postgres cannot enter (/root, a `mktemp -d` folder), it lives in STAGING_ROOT/clusters/<name from the
 * path>, and `requested` becomes a link to it: the link is what ties the two, so a DATA_DIR deleted
 * (to start afresh) takes its database with it at the next start.
 */
export async function placeClusterHome(requested: string, user: RunAs): Promise<ClusterHome> {
  if (fs.lstatSync(requested, { throwIfNoEntry: false })?.isSymbolicLink()) {
    return { dir: enterable(fs.readlinkSync(requested), user), linkedFrom: requested, notices: [] };
  }
  makeEnterableFolder(requested);
  if (canReach(user, requested)) return { dir: requested, notices: [] };
  if (fs.existsSync(path.join(requested, 'cluster'))) {
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as ${describeUser(user)}, which cannot enter ${requested} where its data is: move DATA_DIR to a folder that user can enter and set DATA_DIR to it, or start as another user`,
    );
  }
  const staged = path.join(STAGING_ROOT, 'clusters', stagedName(requested));
  const notices: string[] = [];
  if (fs.existsSync(staged)) {
    const stopped = await stopLeftoverPostmaster(path.join(staged, 'cluster'), path.join(staged, 'service.pid'));
    fs.rmSync(staged, { recursive: true, force: true });
    notices.push(`removed the database of an earlier ${requested} in ${staged}${stopped ? ` (and stopped its PostgreSQL, pid ${stopped})` : ''}: its link was gone`);
  }
  const dir = enterable(staged, user);
  fs.rmSync(requested, { recursive: true, force: true });
  fs.symlinkSync(dir, requested);
  return { dir, linkedFrom: requested, notices };
}

function enterable(dir: string, user: RunAs): string {
  try {
    makeEnterableFolder(dir);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as ${describeUser(user)}, which cannot enter the project's folder, and its data could not be placed in ${dir} (${(error as Error).message}): set DATA_DIR to a folder that user can enter, or set DATABASE_URL`,
    );
  }
  if (!canReach(user, dir)) {
    throw new EmbeddedPostgresError(`PostgreSQL runs as ${describeUser(user)}, which cannot enter ${dir}: let it enter that folder, or set DATA_DIR to one it can`);
  }
  return dir;
}

/** Stable for a path, readable by a person: `<project folder>-<hash of the path>`. */
function stagedName(requested: string): string {
  const real = path.join(fs.realpathSync(path.dirname(requested)), path.basename(requested));
  const project = path.basename(path.dirname(path.dirname(real))).replace(/[^\w.-]/g, '_') || 'root';
  return `${project}-${createHash('sha256').update(real).digest('hex').slice(0, 12)}`;
}
