import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Per-municipality settings; a tenant without a row uses the defaults (and is at version 1). */
export const TenantSettingsSchema = defineEntity({
  name: 'TenantSettings',
  tableName: 'tenant_settings',
  properties: {
    tenantId: p.uuid().primary(),
    /** Business days a department has to answer a referral (weekends, holidays, 年末年始 excluded). */
    referralResponseBusinessDays: p.integer().default(5),
    /** After the deadline, business days before an unanswered referral expires back to the sender. */
    referralExpiryGraceBusinessDays: p.integer().default(3),
    version: p.integer().version().default(1),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type TenantSettings = InferEntity<typeof TenantSettingsSchema>;

export const DEFAULT_TENANT_SETTINGS = { referralResponseBusinessDays: 5, referralExpiryGraceBusinessDays: 3 };
