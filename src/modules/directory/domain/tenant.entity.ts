import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** 自治体 — a municipality; every other row belongs to exactly one. */
export const TenantSchema = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  properties: {
    id: p.uuid().primary(),
    code: p.string(),
    name: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Tenant = InferEntity<typeof TenantSchema>;
