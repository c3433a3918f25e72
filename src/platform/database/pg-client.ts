import pg from 'pg';
import { describeServer } from './database-url';

export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`Cannot reach PostgreSQL at ${describeServer(url)}: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

/** One short-lived connection, for work outside the ORM (creating databases and roles, checks). */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnavailableError(url, error);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
