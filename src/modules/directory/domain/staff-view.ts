import type { RoleInDepartment } from './principal';
import type { Staff } from './staff.entity';

/** A staff member as the API shows them (before field-level filtering). */
export interface StaffView extends Record<string, unknown> {
  id: string;
  tenantId: string;
  login: string;
  subject: string;
  displayName: string;
  email: string | null;
  active: boolean;
  version: number;
  roles: RoleInDepartment[];
  createdAt: string;
  updatedAt: string;
}

export function staffView(staff: Staff, roles: RoleInDepartment[]): StaffView {
  return {
    id: staff.id,
    tenantId: staff.tenantId,
    login: staff.login,
    subject: staff.subject,
    displayName: staff.displayName,
    email: staff.email ?? null,
    active: staff.active,
    version: staff.version,
    roles,
    createdAt: staff.createdAt.toISOString(),
    updatedAt: staff.updatedAt.toISOString(),
  };
}
