import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Db } from '../../platform/database/db';
import { CHANNELS, DatabaseNotifications } from '../../platform/database/notifications';
import type { Principal } from './domain/principal';
import { PrincipalLoader } from './principal-loader';

/** Enough for every signed-in person of a large municipality; the oldest go first beyond it. */
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal | null;
  until: number;
}

/**
 * Who a verified token names, reused for a few seconds (PRINCIPAL_CACHE_MS) so a request does not start
 * with a transaction of its own to look it up. Never longer than the earliest of its access grants
 * lasts. A change of roles, staff, departments or access grants drops the tenant's principals: on this
 * instance as soon as it is made (`DatabaseNotifications.changedHere`), on every instance when the commit's notification arrives.
 */
@Injectable()
export class Principals implements OnModuleInit {
  private readonly entries = new Map<string, Entry>();
  /** Moves on every change of a tenant: a lookup that began before it is not kept. */
  private readonly generations = new Map<string, number>();
  private allGeneration = 0;

  constructor(
    private readonly db: Db,
    private readonly loader: PrincipalLoader,
    private readonly notifications: DatabaseNotifications,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // No payload (a reconnect, or a change made without a tenant): anything may have changed.
    this.notifications.on(CHANNELS.directory, (tenantId) => (tenantId ? this.forget(tenantId) : this.forgetAll()));
  }

  async resolve(tenantId: string, subject: string): Promise<Principal | null> {
    const key = `${tenantId}\n${subject}`;
    const cached = this.entries.get(key);
    if (cached && cached.until > Date.now()) return cached.principal;
    const generation = this.generationOf(tenantId);
    const loaded = await this.db.inTenant(tenantId, (em) => this.loader.loadWithExpiry(em, subject));
    const ttl = this.config.principalCacheMs;
    if (ttl > 0 && generation === this.generationOf(tenantId)) {
      this.entries.delete(key);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { principal: loaded?.principal ?? null, until: Math.min(Date.now() + ttl, loaded?.grantsUntil ?? Infinity) });
    }
    return loaded?.principal ?? null;
  }

  private forget(tenantId: string): void {
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
    for (const key of this.entries.keys()) if (key.startsWith(`${tenantId}\n`)) this.entries.delete(key);
  }

  private forgetAll(): void {
    this.allGeneration++;
    this.entries.clear();
  }

  private generationOf(tenantId: string): string {
    return `${this.allGeneration}:${this.generations.get(tenantId) ?? 0}`;
  }
}
