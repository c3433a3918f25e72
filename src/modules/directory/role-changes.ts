import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, fieldError, notFound } from '../../platform/http/app-error';
import { AbilityFactory, type Action } from '../access/ability.factory';
import { AccessDeniedError } from '../access/access-denied.error';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { AuditLog } from '../audit/audit-log.service';
import { heldRoles, inDepartment, resolveRoles, roleKey, setRoleAssignments } from './domain/role-assignments';
import { RoleChangeSchema, type RoleChange, type RoleRef } from './domain/role-change.entity';
import { roleChangeMachine } from './domain/role-change.machine';
import type { Role } from './domain/staff.entity';

const SELF_GRANT = {
  ja: '個人情報を閲覧できる役割を自分自身に付与することはできません。別の管理者に申請を依頼してください。',
  en: 'You cannot give yourself a role that opens personal data: ask another administrator to request it.',
};
const FOUR_EYES = {
  ja: '自分が申請した権限付与、または自分への権限付与は承認・却下できません。',
  en: 'You cannot decide a role change you requested or one that would give you access.',
};
const ALREADY_PENDING = {
  ja: 'この職員には審査中の権限付与申請があります。決定されるか取り下げられてから申請してください。',
  en: 'This staff member already has a pending role change: wait until it is decided or withdrawn.',
};
const NO_SUCH_CHANGE = { ja: '権限付与申請が見つかりません。', en: 'No such role change.' };

/**
 * 権限付与申請 — where roles are given. Removals, and roles that open no personal data, apply at once;
 * roles that open personal data (as the ability factory says) wait for a second person's approval.
 */
@Injectable()
export class RoleChanges {
  constructor(
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Sets a staff member's roles to `wanted`, except the added roles that open personal data: those
   * become one pending request, returned. Asking for one's own access is refused (403, audited).
   */
  async change(
    em: EntityManager,
    auth: RequestAuth,
    staff: { id: string; tenantId: string },
    wanted: { role: Role; departmentId?: string | null }[],
    reason: string | undefined,
  ): Promise<RoleChange | null> {
    const { refs, departments } = await resolveRoles(em, wanted);
    const held = new Set((await heldRoles(em, staff.id)).map(roleKey));
    const opening = refs
      .filter((ref) => !held.has(roleKey(ref)))
      .map((ref) => ({ ref, opens: this.abilities.opens(staff.tenantId, inDepartment(ref, departments)) }))
      .filter((r) => r.opens.length > 0);
    const waiting = new Set(opening.map((r) => roleKey(r.ref)));
    const roles = opening.map((r) => r.ref);
    if (roles.length) this.assertMayRequest(auth, staff.id, roles);
    await setRoleAssignments(em, staff, refs.filter((ref) => !waiting.has(roleKey(ref))));
    if (!roles.length) return null;
    if (!reason) {
      throw fieldError('body.reason', 'required', {
        ja: '個人情報を閲覧できる役割は承認が必要です。申請の理由を入力してください。',
        en: 'Roles that open personal data need approval: give the reason for the request.',
      });
    }
    if (await em.count(RoleChangeSchema, { staffId: staff.id, state: 'requested' })) throw new AppError('already_exists', { detail: ALREADY_PENDING });
    const departmentIds = new Set(roles.map((r) => r.departmentId));
    const change = em.create(RoleChangeSchema, {
      tenantId: staff.tenantId,
      staffId: staff.id,
      requestedBy: auth.principal.id,
      reason,
      roles,
      opens: [...new Set(opening.flatMap((r) => r.opens))],
      // The department's manager decides roles in that department; anything wider, an administrator.
      decidingDepartmentId: departmentIds.size === 1 ? [...departmentIds][0] : null,
      state: roleChangeMachine.config.initial as string,
      machine: roleChangeMachine.id,
    });
    await em.flush();
    await this.record(em, auth, change, 'request', { reason });
    return change;
  }

  /** Loads a request the caller may act on; deciding one's own or one's own access is refused (403) and audited. */
  async load(em: EntityManager, auth: RequestAuth, id: string, action: Action): Promise<RoleChange> {
    const found = await em.findOne(RoleChangeSchema, { id });
    if (!found) throw notFound(NO_SUCH_CHANGE);
    const record = subject('RoleChange', { ...found });
    const mine = [found.requestedBy, found.staffId].includes(auth.principal.id);
    if (mine && auth.ability.can('read', record) && !auth.ability.can(action, record)) {
      // The ability refused; say why, and mark it for the anomaly report.
      throw new AccessDeniedError(auth.audit, { action, subjectType: 'RoleChange', subjectId: id, detail: { refused: 'four_eyes' } }, { why: FOUR_EYES });
    }
    assertCanOrHide(auth, action, 'RoleChange', found);
    return found;
  }

  /** Every step leaves an audit row in the caller's transaction, after the request's version moved. */
  async record(em: EntityManager, auth: RequestAuth, change: RoleChange, step: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.audit.append(em, auth.audit, {
      action: `role-change.${step}`,
      subjectType: 'RoleChange',
      subjectId: change.id,
      outcome: 'allowed',
      detail: { staffId: change.staffId, requestedBy: change.requestedBy, roles: change.roles, opens: change.opens, state: change.state, version: change.version, ...detail },
    });
  }

  private assertMayRequest(auth: RequestAuth, staffId: string, roles: RoleRef[]): void {
    if (auth.ability.can('create', subject('RoleChange', { tenantId: auth.principal.tenantId, staffId }))) return;
    const self = staffId === auth.principal.id;
    throw new AccessDeniedError(
      auth.audit,
      { action: 'role-change.request', subjectType: 'Staff', subjectId: staffId, detail: { refused: self ? 'self_grant' : 'not_allowed', roles } },
      { why: self ? SELF_GRANT : undefined },
    );
  }
}
