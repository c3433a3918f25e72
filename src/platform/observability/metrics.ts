import { timingSafeEqual, createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM, type PostgreSqlConnection } from '@mikro-orm/postgresql';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { routeTemplateOf } from '../http/request-context';
import { withinTime } from '../time-limit';

/** A scrape never waits longer than this on the database: the gauges it could not read are left out. */
const DATABASE_SAMPLE_TIMEOUT_MS = 1_000;
/** The outbox backlog is counted up to this many events (a backlog that long is an alarm either way). */
const OUTBOX_COUNT_CAP = 10_000;
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface OutboxSample {
  pending: number;
  oldestAgeSeconds: number;
}

/**
 * Prometheus metrics for operators: requests by method, route template and status, database pool use,
 * outbox backlog, and the process's own. Labels carry route templates and status codes only: never a
 * URL with its ids, a tenant, a login or a name. One registry per application (tests start several).
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'tsunagi_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'tsunagi_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private outboxSample?: Promise<OutboxSample | undefined>;

  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const metrics = this;
    new Gauge({
      name: 'tsunagi_db_pool_connections',
      help: 'Connections the database pool holds, by state (busy or idle)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const pool = await metrics.pool();
        if (!pool) return;
        this.set({ state: 'busy' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
      },
    });
    new Gauge({
      name: 'tsunagi_db_pool_waiting_requests',
      help: 'Queries waiting for a free connection of the pool',
      registers: [this.registry],
      async collect() {
        const pool = await metrics.pool();
        if (pool) this.set(pool.waitingCount);
      },
    });
    new Gauge({
      name: 'tsunagi_db_pool_max_connections',
      help: 'The most connections the pool opens',
      registers: [this.registry],
      async collect() {
        const pool = await metrics.pool();
        if (pool) this.set(pool.options.max ?? 0);
      },
    });
    new Gauge({
      name: 'tsunagi_database_up',
      help: '1 when the database answered this scrape, 0 when it did not',
      registers: [this.registry],
      async collect() {
        this.set((await metrics.outbox()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tsunagi_outbox_pending_events',
      help: `Committed domain events not yet relayed (counted up to ${OUTBOX_COUNT_CAP}); absent while the database is unreachable`,
      registers: [this.registry],
      async collect() {
        this.reset();
        const sample = await metrics.outbox();
        if (sample) this.set(sample.pending);
      },
    });
    new Gauge({
      name: 'tsunagi_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest event not yet relayed (0 when none waits); absent while the database is unreachable',
      registers: [this.registry],
      async collect() {
        this.reset();
        const sample = await metrics.outbox();
        if (sample) this.set(sample.oldestAgeSeconds);
      },
    });
  }

  /** Counts every request once answered (or abandoned), under the route template that took it. */
  readonly observeRequests = (req: Request, res: Response, next: NextFunction): void => {
    const stop = this.duration.startTimer();
    res.once('close', () => {
      const labels = { method: req.method, route: routeTemplateOf(req), status: String(res.statusCode) };
      this.requests.inc(labels);
      stop(labels);
    });
    next();
  };

  /** GET /metrics: the text format, behind METRICS_TOKEN when one is set. */
  readonly serve = async (req: Request, res: Response): Promise<void> => {
    if (!this.authorized(req.header('authorization'))) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('metrics need their bearer token\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(this.registry.contentType).send(await this.registry.metrics());
  };

  private authorized(header: string | undefined): boolean {
    const { token } = this.config.metrics;
    if (!token) return true;
    const digest = (value: string) => createHash('sha256').update(value).digest();
    return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
  }

  private pool() {
    return (this.orm.em.getConnection() as PostgreSqlConnection).getNativeClient().catch(() => undefined);
  }

  /** One look at the outbox per scrape, shared by the gauges that report it while it runs; undefined when the database does not answer. */
  private outbox(): Promise<OutboxSample | undefined> {
    this.outboxSample ??= withinTime(
      this.orm.em
        .fork()
        .execute<{ pending: number; oldest: number | null }[]>(
          `select count(*)::int as pending, coalesce(extract(epoch from clock_timestamp() - min(occurred_at)), 0)::float8 as oldest from outbox_pending(${OUTBOX_COUNT_CAP})`,
        ),
      DATABASE_SAMPLE_TIMEOUT_MS,
    )
      .then(([row]) => ({ pending: row.pending, oldestAgeSeconds: Number(row.oldest ?? 0) }))
      .catch(() => undefined)
      .finally(() => (this.outboxSample = undefined));
    return this.outboxSample;
  }
}
