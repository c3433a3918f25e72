import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_TENANT_SETTINGS, TenantSettingsSchema, type TenantSettings } from './domain/tenant-settings.entity';
import { TenantSchema, type Tenant } from './domain/tenant.entity';

/**
 * The other per-tenant settings, each versioned at its own route because its module owns and checks
 * it: listed beside these so an administrator finds every setting from one place.
 */
const SETTINGS_ELSEWHERE = {
  escalationCriteria: '/api/v1/coordination/criteria',
  evacuationRegister: '/api/v1/evacuation-support/settings',
};

export type TenantSettingsView = ReturnType<typeof tenantSettingsView>;

export function tenantSettingsView(tenant: Tenant, settings: Pick<TenantSettings, 'referralResponseBusinessDays' | 'referralExpiryGraceBusinessDays' | 'version'>) {
  return {
    tenantId: tenant.id,
    code: tenant.code,
    name: tenant.name,
    referralResponseBusinessDays: settings.referralResponseBusinessDays,
    referralExpiryGraceBusinessDays: settings.referralExpiryGraceBusinessDays,
    version: settings.version,
    settingsElsewhere: SETTINGS_ELSEWHERE,
  };
}

/** The tenant's settings as they stand; a tenant that never saved any is at the defaults, version 1. */
export async function readTenantSettings(em: EntityManager, tenantId: string): Promise<TenantSettingsView> {
  const tenant = await em.findOneOrFail(TenantSchema, { id: tenantId });
  const settings = (await em.findOne(TenantSettingsSchema, { tenantId })) ?? { ...DEFAULT_TENANT_SETTINGS, version: 1 };
  return tenantSettingsView(tenant, settings);
}

/** The row to change, made at the defaults first when the tenant has none (a concurrent maker wins quietly). */
export async function tenantSettingsRow(em: EntityManager, tenantId: string): Promise<TenantSettings> {
  await em.execute('insert into tenant_settings (tenant_id) values (?) on conflict do nothing', [tenantId]);
  return em.findOneOrFail(TenantSettingsSchema, { tenantId });
}
