import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { Db } from './db';

/** Told of each notification on its channel, and, with no payload, after (re)connecting: notes may have been missed. */
export type NotificationHandler = (payload: string | undefined) => void;

const RECONNECT_MS = 1_000;

/** The channels commits notify on (see the change_notifications migration). */
export const CHANNELS = {
  /** Domain events were appended: the outbox has work. */
  outbox: 'tsunagi_outbox',
  /** Staff, roles, departments, supporters or access grants of the tenant (payload) changed. */
  directory: 'tsunagi_directory',
} as const;

/**
 * One connection that LISTENs for the notifications commits send (see the change_notifications
 * migration) and hands them to whoever registered for the channel. A lost connection is made again;
 * every handler is then called without a payload, as anything may have changed meanwhile.
 */
@Injectable()
export class DatabaseNotifications implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('notifications');
  private readonly handlers = new Map<string, NotificationHandler[]>();
  private client?: pg.Client;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  /** `url`: the service's own login. */
  constructor(
    private readonly url: string,
    private readonly db: Db,
  ) {}

  /** Registers before the application starts (onModuleInit). */
  on(channel: string, handler: NotificationHandler): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  /**
   * A change this instance just made in a unit of work that has ended: its own handlers hear of it now,
   * and again once the request's transaction commits, without waiting for the notification to come back
   * (which tells the other instances).
   */
  changedHere(channel: string, payload: string): void {
    this.tell(channel, payload);
    this.db.afterCommit(() => this.tell(channel, payload));
  }

  onApplicationBootstrap(): void {
    if (this.handlers.size > 0) void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on('notification', ({ channel, payload }) => this.tell(channel, payload ?? ''));
    client.on('error', (error) => this.logger.warn(`listening connection failed: ${error.message}`));
    client.on('end', () => this.reconnectLater());
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      this.logger.warn(`cannot listen for notifications: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
      return;
    }
    for (const channel of this.handlers.keys()) this.tell(channel, undefined);
  }

  private reconnectLater(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) void this.connect();
    }, RECONNECT_MS);
    this.retry.unref();
  }

  private tell(channel: string, payload: string | undefined): void {
    for (const handler of this.handlers.get(channel) ?? []) handler(payload);
  }
}
