import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { CHANNELS, DatabaseNotifications } from '../../../../platform/database/notifications';
import { assertVersion, transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import { loadAccessGrant } from '../../access-grant-access';
import { AccessGrantRecorder } from '../../access-grant-recorder';
import { accessGrantViews } from '../../access-grant-view';
import type { AccessGrant } from '../../domain/access-grant.entity';
import { accessGrantMachine, accessGrantState } from '../../domain/access-grant.machine';
import { ACCESS_GRANT_ACTIONS } from '../../domain/access-grant.schemas';
import { ActOnAccessGrantCommand } from './act-on-access-grant.command';

const HOUR_MS = 3_600_000;

/** What each step writes besides the state: who, when, why, and on approval the end of the grant. */
function stepFields(type: (typeof ACCESS_GRANT_ACTIONS)[keyof typeof ACCESS_GRANT_ACTIONS], grant: AccessGrant, actorId: string, now: Date, reason: string | null): Partial<AccessGrant> {
  switch (type) {
    case 'APPROVE':
      return { decidedBy: actorId, decidedAt: now, expiresAt: new Date(now.getTime() + grant.hours * HOUR_MS) };
    case 'DECLINE':
      return { decidedBy: actorId, decidedAt: now, declineReason: reason };
    case 'REVOKE':
      return { revokedBy: actorId, revokedAt: now, revokeReason: reason };
  }
}

@CommandHandler(ActOnAccessGrantCommand)
export class ActOnAccessGrantHandler implements ICommandHandler<ActOnAccessGrantCommand> {
  constructor(
    private readonly db: Db,
    private readonly notifications: DatabaseNotifications,
    private readonly recorder: AccessGrantRecorder,
  ) {}

  async execute({ auth, grantId, action, expectedVersion, reason }: ActOnAccessGrantCommand) {
    const result = await this.db.inTenant(auth.principal.tenantId, async (em) => {
      // Access first: deciding one's own request is refused before any state is looked at.
      const grant = await loadAccessGrant(em, auth, grantId, action === 'revoke' ? 'revoke' : 'decide');
      assertVersion(grant, expectedVersion);
      // The database's clock, the one the principal loader checks expiry against on every request.
      const [clock] = await em.execute<{ now: string }[]>('select now() as now');
      const now = new Date(clock.now);
      const type = ACCESS_GRANT_ACTIONS[action];
      // A grant past its time reads as expired, so it can no longer be revoked (409).
      const from = accessGrantState(grant, now);
      grant.state = transitionOrRefuse(accessGrantMachine, from, {}, { type, reason: reason ?? '' });
      Object.assign(grant, stepFields(type, grant, auth.principal.id, now, reason || null));
      await em.flush();
      await this.recorder.record(em, auth, grant, type, {
        from,
        to: grant.state,
        ...(reason ? { reason } : {}),
        ...(type === 'APPROVE' ? { expiresAt: grant.expiresAt, includeSensitive: grant.includeSensitive } : {}),
      });
      const [view] = await accessGrantViews(em, auth, [grant], now);
      return view;
    });
    // Who someone is changed: cached principals of the tenant go, here now and on every instance on commit.
    this.notifications.changedHere(CHANNELS.directory, auth.principal.tenantId);
    return result;
  }
}
