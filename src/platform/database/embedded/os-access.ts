import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A start of the embedded PostgreSQL that cannot go on: one line saying why and what to do. */
export class EmbeddedPostgresError extends Error {}

/** The OS identity PostgreSQL's processes run as; `undefined` is the invoking user. */
export type RunAs = { uid: number; gid: number } | undefined;

/**
 * PostgreSQL refuses to run as root: as root its processes run as the OS user `postgres` (made when
 * missing, as Debian's postgresql package would); as anyone else they run as that user.
 */
export function postgresOsUser(): RunAs {
  if (process.getuid?.() !== 0) return undefined;
  const found = lookUp('postgres');
  if (found) return found;
  const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' });
  const user = lookUp('postgres');
  if (user) return user;
  const why = made.error?.message ?? made.stderr.trim();
  throw new EmbeddedPostgresError(
    `PostgreSQL does not run as root, and the OS user postgres to run it as could not be made (${why}): create it (useradd --system --user-group postgres), start as another user, or set DATABASE_URL`,
  );
}

/** Whether `user` can reach `target` (every folder on the way, and `target` itself with `test`'s `flag`). */
export function canReach(user: RunAs, target: string, flag: '-x' | '-r' = '-x'): boolean {
  if (!user) return true;
  return spawnSync('test', [flag, target], { uid: user.uid, gid: user.gid }).status === 0;
}

/**
 * Where, as root, what the OS user postgres must reach but cannot where the project lies (a clone in
 * /root or in a `mktemp -d` folder) is placed: state that lasts, unlike /tmp or /var/tmp, which
 * systemd-tmpfiles may empty.
 */
export const STAGING_ROOT = '/var/lib/tsunagi';

/** `mkdir -p` whose every folder it makes, and `dir` itself, anyone may enter (the data inside stays 0700). */
export function makeEnterableFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) fs.mkdirSync(d);
  for (const d of missing.length ? missing : [dir]) fs.chmodSync(d, 0o755);
}

/** Who PostgreSQL runs as, for messages. */
export function describeUser(user: RunAs): string {
  return user ? 'the OS user postgres' : 'the invoking user';
}

function lookUp(name: string): RunAs {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
