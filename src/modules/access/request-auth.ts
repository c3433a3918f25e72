import type { Principal } from '../directory/domain/principal';
import type { AuditContext } from '../audit/domain/audit-entry';
import type { AppAbility } from './ability.factory';

export interface RequestAuth {
  principal: Principal;
  ability: AppAbility;
  audit: AuditContext;
}

export function auditContextFor(principal: Principal, requestId: string): AuditContext {
  const roles = principal.kind === 'staff' ? principal.roles : [];
  return {
    tenantId: principal.tenantId,
    requestId,
    actor: {
      type: principal.kind,
      id: principal.id,
      roles: principal.kind === 'staff' ? roles.map((r) => (r.departmentCode ? `${r.role}@${r.departmentCode}` : r.role)) : [principal.organizationType],
      departmentId: roles.find((r) => r.departmentId)?.departmentId ?? null,
    },
  };
}
