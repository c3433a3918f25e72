import fs from 'node:fs';
import pg from 'pg';

/**
 * CPU time, beside wall time: on a machine shared with other work a phase's wall time is mostly
 * waiting for a core, while the CPU seconds it used are what it costs. Linux only (/proc); the
 * database's share only when its server runs on this machine.
 */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far; NaN when it cannot be read. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** The CPU seconds the server processes of one database (its backends, autovacuum included) use between two readings. */
export class DatabaseCpu {
  private start = new Map<number, number>();

  private constructor(private readonly client: pg.Client) {}

  /** `url`: a superuser's URL of the database (it sees every backend's pid). */
  static async open(url: string): Promise<DatabaseCpu> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new DatabaseCpu(client);
  }

  private async readings(): Promise<Map<number, number>> {
    const { rows } = await this.client.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return new Map(rows.map(({ pid }) => [pid, cpuSeconds(pid)]));
  }

  /** Starts a period. */
  async mark(): Promise<void> {
    this.start = await this.readings();
  }

  /** CPU seconds since `mark` of the backends alive now (a backend that ended meanwhile is missed; a new one counts whole). */
  async since(): Promise<number> {
    let total = 0;
    for (const [pid, now] of await this.readings()) total += now - (this.start.get(pid) ?? 0);
    return total;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
