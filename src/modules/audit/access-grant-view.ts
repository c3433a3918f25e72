import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { Action } from '../access/ability.factory';
import type { RequestAuth } from '../access/request-auth';
import { CaseSchema } from '../cases/domain/case.entity';
import { StaffSchema } from '../directory/domain/staff.entity';
import type { AccessGrant } from './domain/access-grant.entity';
import { accessGrantMachine, accessGrantState } from './domain/access-grant.machine';
import { ACCESS_GRANT_ACTIONS, type AccessGrantAction } from './domain/access-grant.schemas';

export type AccessGrantView = Awaited<ReturnType<typeof accessGrantViews>>[number];

const PERMISSION: Record<AccessGrantAction, Action> = { approve: 'decide', decline: 'decide', revoke: 'revoke' };

/** Grants as auditors and administrators see them: metadata only, never the case's contents. */
export async function accessGrantViews(em: EntityManager, auth: RequestAuth, grants: AccessGrant[], now = new Date()) {
  const cases = await em.find(CaseSchema, { id: { $in: [...new Set(grants.map((g) => g.caseId))] } });
  const caseNumbers = new Map(cases.map((c) => [c.id, c.caseNumber]));
  // Who asked and who decided, by name: auditors read names, not ids.
  const staffIds = [...new Set(grants.flatMap((g) => [g.requestedBy, g.decidedBy, g.revokedBy].filter((id): id is string => !!id)))];
  const staff = await em.find(StaffSchema, { id: { $in: staffIds } }, { fields: ['id', 'displayName'] });
  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  const name = (id: string | null | undefined) => (id ? (names.get(id) ?? null) : null);
  return grants.map((grant) => {
    const state = accessGrantState(grant, now);
    return {
      id: grant.id,
      caseId: grant.caseId,
      caseNumber: caseNumbers.get(grant.caseId) ?? null,
      requestedBy: grant.requestedBy,
      requestedByName: name(grant.requestedBy),
      reason: grant.reason,
      hours: grant.hours,
      includeSensitive: grant.includeSensitive,
      state,
      requestedAt: grant.createdAt,
      decidedBy: grant.decidedBy ?? null,
      decidedByName: name(grant.decidedBy),
      decidedAt: grant.decidedAt ?? null,
      declineReason: grant.declineReason ?? null,
      expiresAt: grant.expiresAt ?? null,
      revokedBy: grant.revokedBy ?? null,
      revokedByName: name(grant.revokedBy),
      revokedAt: grant.revokedAt ?? null,
      revokeReason: grant.revokeReason ?? null,
      version: grant.version,
      allowedActions: allowedActions(auth, grant, state),
    };
  });
}

/** What this caller can do now: the machine accepts it AND the ability allows it. */
function allowedActions(auth: RequestAuth, grant: AccessGrant, state: string): AccessGrantAction[] {
  const accepted = acceptedEvents(accessGrantMachine, state, {}, (type) => ({ type, reason: '理由' }));
  const record = subject('AccessGrant', { ...grant });
  return (Object.entries(ACCESS_GRANT_ACTIONS) as [AccessGrantAction, string][])
    .filter(([action, event]) => accepted.includes(event) && auth.ability.can(PERMISSION[action], record))
    .map(([action]) => action);
}
