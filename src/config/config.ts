import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL');
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Measured with `npm run bench:import` (README, Performance): the 100k-row import within its time aims, RSS well under 512 MB. */
const DEFAULT_MAX_OLD_SPACE_MB = 256;

/** Every environment variable the service reads, in one place. Nothing else reads process.env. */
const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** HTTP port. */
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /**
     * The service's own login: no superuser, BYPASSRLS or owner (the boot refuses one outside development).
     * Unset: an embedded PostgreSQL is started with its data in DATA_DIR, and its roles are made there.
     * Outside production a superuser's URL also works: the service makes the owner and login roles with it.
     */
    DATABASE_URL: postgresUrl.optional(),
    /** The tables' owner, which applies migrations (and demo data). Required in production with DATABASE_URL. */
    MIGRATION_DATABASE_URL: postgresUrl.optional(),
    /** Where the embedded database (DATA_DIR/postgres, maybe a link: see embedded/cluster-home.ts) and the built-in issuer's key pair live. */
    DATA_DIR: z.string().min(1).default('./.data'),
    /** External identity provider's key set. Set it and the built-in demo issuer is disabled. */
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().min(1).optional(),
    AUTH_AUDIENCE: z.string().min(1).default('tsunagi'),
    /**
     * The console's client id at the external identity provider (a public client: authorization code
     * with PKCE, no secret). Set it and the console's sign-in page sends people to AUTH_ISSUER.
     */
    AUTH_CONSOLE_CLIENT_ID: z.string().min(1).optional(),
    /** The scopes the console asks for; the access token must carry `tid` and have AUTH_AUDIENCE as audience. */
    AUTH_CONSOLE_SCOPE: z.string().min(1).default('openid'),
    /** Load demo data into an empty database: auto = only on the embedded database. */
    SEED_DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /** Largest accepted JSON request body, in bytes, where a route sets no limit of its own. */
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(100 * 1024),
    /**
     * V8's old space for the service's objects, in MB (node's `--max-old-space-size`; see
     * platform/heap-limit.ts): without a cap V8 grows its heap lazily far past what the service keeps
     * alive. 0 = V8's default for the machine. A flag given to node itself wins.
     */
    MAX_OLD_SPACE_MB: z.coerce.number().int().min(0).default(DEFAULT_MAX_OLD_SPACE_MB),
    /** How long a request holds its Idempotency-Key, in seconds: a retry after that takes over a key whose request died. Keep it above the slowest request. */
    IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().int().min(1).default(60),
    /**
     * How often committed events are relayed from the outbox, in ms, as a fallback: a commit that appends
     * events wakes the relay at once (LISTEN/NOTIFY). 0 = no polling, only NOTIFY and on demand (tests).
     */
    OUTBOX_POLL_MS: z.coerce.number().int().min(0).default(5000),
    /** Wake the relay when a commit appends events (LISTEN/NOTIFY); false: only polling and on demand (tests). */
    OUTBOX_LISTEN: bool.default(true),
    /** Connections in the service's pool; keep it above REQUEST_CONCURRENCY, with room for background work. */
    DB_POOL_MAX: z.coerce.number().int().min(2).default(20),
    /**
     * Signed-in requests (and the criteria evaluations their events cause) served at once; the rest wait
     * (none is refused), and a freed slot goes to the tenant with the fewest running, so one busy
     * municipality cannot slow another down.
     */
    REQUEST_CONCURRENCY: z.coerce.number().int().min(1).default(4),
    /** …of which one tenant may hold at most this many. */
    TENANT_CONCURRENCY: z.coerce.number().int().min(1).default(4),
    /** How long a resolved token and principal are reused, in ms (0 = never): a role change on this database drops them at once. */
    PRINCIPAL_CACHE_MS: z.coerce.number().int().min(0).default(5000),
    /** Log each SQL statement (development aid). */
    DEBUG_SQL: bool.default(false),
    /** Append-only file the signed audit checkpoints go to; default `<DATA_DIR>/audit-checkpoints.jsonl`. Keep it where the database cannot write. */
    AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
    /** A checkpoint is taken once this many audit entries were written since the last one… */
    AUDIT_CHECKPOINT_EVERY_ENTRIES: z.coerce.number().int().min(1).default(1000),
    /** …or once this many seconds have passed with new entries, whichever comes first. */
    AUDIT_CHECKPOINT_EVERY_SECONDS: z.coerce.number().int().min(1).default(300),
    /** How often the log's head is looked at for that, in ms; 0 = only on demand (tests). */
    AUDIT_CHECKPOINT_POLL_MS: z.coerce.number().int().min(0).default(5000),
    /** Audit rows are sealed (chained) this many ms after the commit that wrote them, gathered per tenant; 0 = at once. */
    AUDIT_SEAL_DELAY_MS: z.coerce.number().int().min(0).default(20),
    /** How often every tenant's unsealed rows are looked for (rows written by another instance or by SQL), in ms; 0 = never (tests). */
    AUDIT_SEAL_POLL_MS: z.coerce.number().int().min(0).default(1000),
    /** Worker threads that verify the chain in Node, each streaming a segment; default: one per core; 0 = in SQL (`audit_verify()`). */
    AUDIT_VERIFY_WORKERS: z.coerce.number().int().min(0).optional(),
    /** Serve the API docs at /docs and /docs-json. Default: on, except in production. */
    API_DOCS: bool.optional(),
    /** Serve Prometheus metrics at /metrics (outside /api). Default: on, except in production without METRICS_TOKEN (set it, or say true when the network guards the port). */
    METRICS_ENABLED: bool.optional(),
    /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.DATABASE_URL && !env.MIGRATION_DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['MIGRATION_DATABASE_URL'],
        message: "is required in production with DATABASE_URL: the tables' owner, while DATABASE_URL is the service's own login",
      });
    }
    if (env.AUTH_JWKS_URL && !env.AUTH_ISSUER) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_ISSUER'], message: 'is required when AUTH_JWKS_URL is set' });
    }
    if (env.AUTH_CONSOLE_CLIENT_ID && !env.AUTH_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_CONSOLE_CLIENT_ID'], message: 'needs an external identity provider (AUTH_JWKS_URL and AUTH_ISSUER)' });
    }
    if (env.NODE_ENV === 'production' && !env.AUTH_JWKS_URL) {
      // The demo issuer's key lies in the data folder: anyone who can read it can sign in as anyone.
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'is required in production: the built-in demo issuer is for development only' });
    }
  });

/** MAX_OLD_SPACE_MB alone, read before anything else is loaded (0: none); undefined when it is invalid, which loadConfig then reports. */
export function maxOldSpaceMb(source: Record<string, string | undefined> = process.env): number | undefined {
  const parsed = envSchema.shape.MAX_OLD_SPACE_MB.safeParse(source.MAX_OLD_SPACE_MB);
  return parsed.success ? parsed.data : undefined;
}

export const BUILT_IN_ISSUER = 'urn:tsunagi:demo-issuer';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  database: {
    url?: string;
    migrationUrl?: string;
    embedded: boolean;
    debug: boolean;
    poolMax: number;
    /** When the login could step around row-level security or the audit triggers (see login-policy.ts). */
    onUnsafeLogin: 'refuse' | 'warn';
  };
  dataDir: string;
  auth:
    | { mode: 'built-in'; issuer: string; audience: string; keyDir: string }
    | { mode: 'external'; issuer: string; audience: string; jwksUrl: string; console?: { clientId: string; scope: string } };
  seedDemo: boolean;
  logLevel: string;
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  idempotencyLeaseSeconds: number;
  outboxPollMs: number;
  outboxListen: boolean;
  requestConcurrency: { total: number; perTenant: number };
  principalCacheMs: number;
  auditCheckpoints: { file: string; everyEntries: number; everyMs: number; pollMs: number };
  auditSealing: { delayMs: number; pollMs: number; verifyWorkers: number };
  apiDocs: boolean;
  metrics: { enabled: boolean; token?: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`));
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const embedded = !env.DATABASE_URL;
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    database: {
      url: env.DATABASE_URL,
      migrationUrl: env.MIGRATION_DATABASE_URL,
      embedded,
      debug: env.DEBUG_SQL,
      poolMax: env.DB_POOL_MAX,
      onUnsafeLogin: env.NODE_ENV === 'development' ? 'warn' : 'refuse',
    },
    dataDir,
    auth: env.AUTH_JWKS_URL
      ? {
          mode: 'external',
          issuer: env.AUTH_ISSUER!,
          audience: env.AUTH_AUDIENCE,
          jwksUrl: env.AUTH_JWKS_URL,
          ...(env.AUTH_CONSOLE_CLIENT_ID && { console: { clientId: env.AUTH_CONSOLE_CLIENT_ID, scope: env.AUTH_CONSOLE_SCOPE } }),
        }
      : {
          mode: 'built-in',
          issuer: env.AUTH_ISSUER ?? BUILT_IN_ISSUER,
          audience: env.AUTH_AUDIENCE,
          keyDir: path.join(dataDir, 'issuer'),
        },
    seedDemo: env.SEED_DEMO === 'auto' ? embedded : env.SEED_DEMO === 'true',
    logLevel: env.LOG_LEVEL,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    idempotencyLeaseSeconds: env.IDEMPOTENCY_LEASE_SECONDS,
    outboxPollMs: env.OUTBOX_POLL_MS,
    outboxListen: env.OUTBOX_LISTEN,
    requestConcurrency: { total: env.REQUEST_CONCURRENCY, perTenant: env.TENANT_CONCURRENCY },
    principalCacheMs: env.PRINCIPAL_CACHE_MS,
    auditCheckpoints: {
      file: path.resolve(env.AUDIT_CHECKPOINT_FILE ?? path.join(dataDir, 'audit-checkpoints.jsonl')),
      everyEntries: env.AUDIT_CHECKPOINT_EVERY_ENTRIES,
      everyMs: env.AUDIT_CHECKPOINT_EVERY_SECONDS * 1000,
      pollMs: env.AUDIT_CHECKPOINT_POLL_MS,
    },
    auditSealing: { delayMs: env.AUDIT_SEAL_DELAY_MS, pollMs: env.AUDIT_SEAL_POLL_MS, verifyWorkers: env.AUDIT_VERIFY_WORKERS ?? os.availableParallelism() },
    apiDocs: env.API_DOCS ?? env.NODE_ENV !== 'production',
    metrics: { enabled: env.METRICS_ENABLED ?? (env.NODE_ENV !== 'production' || env.METRICS_TOKEN !== undefined), token: env.METRICS_TOKEN },
  };
}

/** Injection token for the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
