import type { Role } from './staff.entity';
import type { SupporterOrganizationType } from './supporter.entity';

export interface RoleInDepartment {
  role: Role;
  departmentId: string | null;
  departmentCode: string | null;
  /** The department coordinates 多機関協働. */
  coordinating?: boolean;
  responsibilities?: string[];
}

/** Departments in which the principal holds one of `roles` and which carry `responsibility`. */
export function departmentsResponsibleFor(principal: Principal, responsibility: string, roles: Role[] = ['counselor', 'manager']): string[] {
  if (principal.kind !== 'staff') return [];
  return principal.roles.filter((r) => roles.includes(r.role) && r.responsibilities?.includes(responsibility)).map((r) => r.departmentId!);
}

/** A live 監査のための閲覧特例 (audited access grant): read one case until it expires. */
export interface CaseGrant {
  grantId: string;
  caseId: string;
  includeSensitive: boolean;
}

/** The signed-in person as the directory knows them; roles come from here, never from the token. */
export type Principal =
  | { kind: 'staff'; id: string; tenantId: string; displayName: string; roles: RoleInDepartment[]; caseGrants: CaseGrant[] }
  | {
      kind: 'supporter';
      id: string;
      tenantId: string;
      displayName: string;
      organizationType: SupporterOrganizationType;
      districtCodes: string[];
    };

/** Every department the principal holds a role in, the one named first in the directory first. */
export function staffDepartments(principal: Principal): string[] {
  return principal.kind === 'staff' ? [...new Set(principal.roles.flatMap((r) => (r.departmentId ? [r.departmentId] : [])))] : [];
}

export function departmentsWhere(principal: Principal, role: Role): string[] {
  if (principal.kind !== 'staff') return [];
  return principal.roles.filter((r) => r.role === role && r.departmentId).map((r) => r.departmentId!);
}

/** Managers and coordinators of the department that coordinates 多機関協働. */
export function coordinatesCollaboration(principal: Principal): boolean {
  return principal.kind === 'staff' && principal.roles.some((r) => r.coordinating && (r.role === 'manager' || r.role === 'coordinator'));
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.kind === 'staff' && principal.roles.some((r) => r.role === role);
}

/** Access grants count for auditors only: someone who lost the role reads nothing through an old grant. */
export function liveCaseGrants(principal: Principal): CaseGrant[] {
  return principal.kind === 'staff' && hasRole(principal, 'auditor') ? principal.caseGrants : [];
}
