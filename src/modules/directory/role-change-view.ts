import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { Action } from '../access/ability.factory';
import type { RequestAuth } from '../access/request-auth';
import { DepartmentSchema } from './domain/department.entity';
import type { RoleChange } from './domain/role-change.entity';
import { roleChangeMachine } from './domain/role-change.machine';
import { ROLE_CHANGE_ACTIONS, type RoleChangeAction } from './domain/role-change.schemas';
import { StaffSchema } from './domain/staff.entity';
import type { StaffView } from './domain/staff-view';

export type RoleChangeView = Awaited<ReturnType<typeof roleChangeViews>>[number];

/** The ability's action behind each step. */
export const ROLE_CHANGE_PERMISSION: Record<RoleChangeAction, Action> = { approve: 'decide', decline: 'decide', withdraw: 'withdraw' };

/** Requests as administrators and deciding managers see them: who would get what, asked by whom, why. */
export async function roleChangeViews(em: EntityManager, auth: RequestAuth, changes: RoleChange[]) {
  const staffIds = [...new Set(changes.flatMap((c) => [c.staffId, c.requestedBy]))];
  const names = new Map((await em.find(StaffSchema, { id: { $in: staffIds } })).map((s) => [s.id, s.displayName]));
  const codes = new Map((await em.find(DepartmentSchema, {})).map((d) => [d.id, d.code]));
  return changes.map((change) => ({
    id: change.id,
    staffId: change.staffId,
    staffName: names.get(change.staffId) ?? null,
    roles: change.roles.map((r) => ({ ...r, departmentCode: r.departmentId ? (codes.get(r.departmentId) ?? null) : null })),
    opens: change.opens,
    decidingDepartmentId: change.decidingDepartmentId ?? null,
    requestedBy: change.requestedBy,
    requestedByName: names.get(change.requestedBy) ?? null,
    reason: change.reason,
    state: change.state,
    requestedAt: change.createdAt,
    decidedBy: change.decidedBy ?? null,
    decidedAt: change.decidedAt ?? null,
    declineReason: change.declineReason ?? null,
    version: change.version,
    allowedActions: allowedActions(auth, change),
  }));
}

/** What this caller can do now: the machine accepts it AND the ability allows it. */
function allowedActions(auth: RequestAuth, change: RoleChange): RoleChangeAction[] {
  const accepted = acceptedEvents(roleChangeMachine, change.state, {}, (type) => ({ type, reason: '理由' }));
  const record = subject('RoleChange', { ...change });
  return (Object.entries(ROLE_CHANGE_ACTIONS) as [RoleChangeAction, string][])
    .filter(([action, event]) => accepted.includes(event) && auth.ability.can(ROLE_CHANGE_PERMISSION[action], record))
    .map(([action]) => action);
}

/** A staff member after a change, with the request for the roles still waiting for approval, if any. */
export type StaffChange = StaffView & { pendingRoleChange: RoleChangeView | null };
