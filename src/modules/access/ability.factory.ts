import { Injectable } from '@nestjs/common';
import { AbilityBuilder, createMongoAbility, type ForcedSubject, type MongoAbility } from '@casl/ability';
import { hasRole, type Principal } from '../directory/domain/principal';

export type Action = 'read' | 'create' | 'update' | 'verify';
export type SubjectType = 'Me' | 'Department' | 'Staff' | 'AuditLog';
export type SubjectRecord = ForcedSubject<SubjectType>;
export type AppAbility = MongoAbility<[Action, SubjectType | SubjectRecord]>;

/** What a department manager may see of a colleague: enough to route work, no account details. */
export const STAFF_DIRECTORY_FIELDS = ['id', 'displayName', 'roles'];

/**
 * The single place where authorization is decided. Routes declare the action they need, handlers
 * check the exact record, and list queries turn the same rules into SQL (see accessibleWhere).
 */
@Injectable()
export class AbilityFactory {
  for(principal: Principal): AppAbility {
    const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
    const ownTenant = { tenantId: principal.tenantId };
    can('read', 'Me');
    if (principal.kind === 'supporter') return build();

    can('read', 'Department', ownTenant);
    if (hasRole(principal, 'admin')) {
      can(['read', 'create', 'update'], 'Staff', ownTenant);
    }
    if (hasRole(principal, 'manager')) {
      can('read', 'Staff', STAFF_DIRECTORY_FIELDS, ownTenant);
    }
    if (hasRole(principal, 'auditor')) {
      can('verify', 'AuditLog', ownTenant);
    }
    return build();
  }
}
