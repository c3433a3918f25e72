import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Role } from './staff.entity';

export interface RoleRef {
  role: Role;
  departmentId: string | null;
}

/** 権限付与申請 — roles that open personal data, waiting for a second person's approval. */
export const RoleChangeSchema = defineEntity({
  name: 'RoleChange',
  tableName: 'role_change_requests',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    /** The staff member who would get the roles. */
    staffId: p.uuid(),
    requestedBy: p.uuid(),
    reason: p.text(),
    /** The roles to add once approved; removals never wait (they only reduce access). */
    roles: p.json<RoleRef[]>(),
    /** What the roles open, as the ability factory says (`read Case`, …): what the approver weighs. */
    opens: p.array(),
    /** Whose manager may decide besides an administrator: set when every role is in this one department. */
    decidingDepartmentId: p.uuid().nullable(),
    state: p.string(),
    machine: p.string(),
    decidedBy: p.uuid().nullable(),
    decidedAt: p.datetime().nullable(),
    declineReason: p.text().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type RoleChange = InferEntity<typeof RoleChangeSchema>;
