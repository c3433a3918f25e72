import { z } from 'zod';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { bilingual } from '../../../platform/http/zod-validation.pipe';
import { ROLES, TENANT_WIDE_ROLES } from './staff.entity';

const roleAssignment = z
  .strictObject({ role: z.enum(ROLES), departmentId: z.uuid().nullish() })
  .refine(
    (r) => TENANT_WIDE_ROLES.includes(r.role) === !r.departmentId,
    bilingual(
      {
        ja: '監査とシステム管理者は自治体全体の役割です（課を指定しない）。それ以外の役割には課が必要です。',
        en: 'auditor and admin act for the whole tenant (no departmentId); every other role needs one',
      },
      ['departmentId'],
    ),
  );

const roleChangeReason = z.string().trim().min(1).max(2000).optional();

export const createStaffSchema = z.strictObject({
  login: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
  displayName: z.string().trim().min(1).max(100),
  email: z.email().nullish(),
  /** The identity provider's subject; defaults to the login. */
  subject: z.string().min(1).max(255).optional(),
  roles: z.array(roleAssignment).min(1).max(20),
  /** Why: required when a role opens personal data, since that waits for a second person's approval. */
  reason: roleChangeReason,
});
export type CreateStaffInput = z.infer<typeof createStaffSchema>;

export const updateStaffSchema = z.strictObject({
  /** The version the client read: a stale one is refused, so no update is lost. */
  version: z.int().min(1),
  displayName: z.string().trim().min(1).max(100).optional(),
  email: z.email().nullish(),
  active: z.boolean().optional(),
  roles: z.array(roleAssignment).min(1).max(20).optional(),
  reason: roleChangeReason,
});
export type UpdateStaffInput = z.infer<typeof updateStaffSchema>;

/** GET /departments: a tenant has a few dozen, so one page of the default size usually holds them all. */
export const departmentListQuery = z.strictObject({ ...pageParams });
export type DepartmentListQuery = z.infer<typeof departmentListQuery>;

export const staffListQuery = z.strictObject({
  departmentId: z.uuid().optional().describe('Only staff holding a role in this department'),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only those who can sign in; false: only deactivated accounts'),
  ...pageParams,
});
export type StaffListQuery = z.infer<typeof staffListQuery>;
