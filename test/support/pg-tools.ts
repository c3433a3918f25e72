import { spawnSync } from 'node:child_process';

export type PgToolsCheck = { usable: true } | { usable: false; reason: string };

/**
 * Whether `pg_dump` and `pg_restore` on PATH can back up and restore the server at `serverUrl`: they
 * must exist (the embedded PostgreSQL ships none) and be of its major version (pg_dump refuses a newer
 * server; an older server may not take a newer dump). Synchronous, so a test file can decide before it
 * declares its tests. The server is asked in a child process for the same reason.
 */
export function pgToolsFor(serverUrl: string): PgToolsCheck {
  const tools = ['pg_dump', 'pg_restore'].map((tool) => ({ tool, major: majorOf(spawnSync(tool, ['--version'], { encoding: 'utf8' }).stdout ?? '') }));
  const missing = tools.filter((t) => t.major === null).map((t) => t.tool);
  if (missing.length > 0) return { usable: false, reason: `${missing.join(' and ')} not on PATH` };
  const asked = spawnSync(
    process.execPath,
    ['-e', "const c = new (require('pg').Client)(process.argv[1]); c.connect().then(() => c.query('show server_version')).then((r) => { process.stdout.write(r.rows[0].server_version); return c.end(); })", serverUrl],
    { encoding: 'utf8', timeout: 15_000 },
  );
  const server = majorOf(asked.stdout ?? '');
  if (server === null) return { usable: false, reason: `the server's version could not be read (${(asked.stderr ?? '').trim().split('\n')[0]})` };
  const other = tools.find((t) => t.major !== server);
  return other ? { usable: false, reason: `${other.tool} is version ${other.major}, the server ${server}` } : { usable: true };
}

function majorOf(text: string): number | null {
  const match = /(\d+)(?:\.\d+)?/.exec(text);
  return match ? Number(match[1]) : null;
}
