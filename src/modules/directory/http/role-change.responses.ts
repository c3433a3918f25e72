import { z } from 'zod';
import { ROLE_CHANGE_STATES } from '../domain/role-change.machine';
import { ROLE_CHANGE_ACTIONS, type RoleChangeAction } from '../domain/role-change.schemas';
import { ROLES } from '../domain/staff.entity';

/** A role in a department (`departmentId` null for the tenant-wide auditor and admin), as the directory shows it. */
export const RoleInDepartmentSchema = z
  .object({
    role: z.enum(ROLES),
    departmentId: z.uuid().nullable(),
    departmentCode: z.string().nullable(),
    coordinating: z.boolean().optional().describe('The department coordinates 多機関協働 (GET /me only)'),
    responsibilities: z.array(z.string()).optional().describe("The department's duties, e.g. register, disaster (GET /me only)"),
  })
  .meta({ id: 'RoleInDepartment' });

const roleChangeAction = z.enum(Object.keys(ROLE_CHANGE_ACTIONS) as [RoleChangeAction, ...RoleChangeAction[]]);

/** 権限付与申請 as administrators and deciding managers see it (roleChangeViews). */
export const RoleChangeSchema = z
  .object({
    id: z.uuid(),
    staffId: z.uuid().describe('Who would get the roles'),
    staffName: z.string().nullable(),
    roles: z.array(RoleInDepartmentSchema).describe('The roles given once approved'),
    opens: z.array(z.string()).describe('What the roles open, e.g. `read Case`: what the approver weighs'),
    decidingDepartmentId: z.uuid().nullable().describe("Whose manager may decide besides an administrator (null: administrators only)"),
    requestedBy: z.uuid(),
    requestedByName: z.string().nullable(),
    reason: z.string(),
    state: z.enum(ROLE_CHANGE_STATES),
    requestedAt: z.iso.datetime(),
    decidedBy: z.uuid().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    declineReason: z.string().nullable(),
    version: z.int().min(1),
    allowedActions: z.array(roleChangeAction).describe('What the caller may do now (POST /role-changes/:id/<action>)'),
  })
  .meta({ id: 'RoleChange' });
