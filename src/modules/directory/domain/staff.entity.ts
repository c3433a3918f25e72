import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/**
 * What a staff member may do, per department. 相談員 counselor, 課長 manager, 多機関協働 coordinator
 * (多機関協働 — multi-agency collaboration); 監査 auditor and system admin act for the whole tenant.
 */
export const ROLE_LABELS = vocabulary('role', {
  counselor: { ja: '相談員', en: 'Counselor' },
  manager: { ja: '課長', en: 'Manager' },
  coordinator: { ja: '多機関協働コーディネーター', en: 'Coordinator' },
  auditor: { ja: '監査', en: 'Auditor' },
  admin: { ja: 'システム管理者', en: 'Administrator' },
});
export const ROLES = ROLE_LABELS.codes;
export type Role = (typeof ROLES)[number];
export const TENANT_WIDE_ROLES: readonly Role[] = ['auditor', 'admin'];

export const StaffSchema = defineEntity({
  name: 'Staff',
  tableName: 'staff',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    /** The identity provider's subject (`sub`) for this person. */
    subject: p.string(),
    login: p.string(),
    displayName: p.string(),
    email: p.string().nullable(),
    active: p.boolean().default(true),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Staff = InferEntity<typeof StaffSchema>;

export const RoleAssignmentSchema = defineEntity({
  name: 'RoleAssignment',
  tableName: 'role_assignments',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    staffId: p.uuid(),
    departmentId: p.uuid().nullable(),
    role: p.enum(ROLES),
  },
});
export type RoleAssignment = InferEntity<typeof RoleAssignmentSchema>;
