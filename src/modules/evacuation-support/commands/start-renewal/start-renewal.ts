import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { RegisterEntrySchema, RenewalCampaignSchema } from '../../domain/register.entity';
import { RenewalRunner } from '../../renewal-runner';

/** Starts the year's renewal campaign; it runs in the background (GET it for progress and the report). */
export class StartRenewalCommand extends Command<{ id: string; state: string; total: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly year: number,
  ) {
    super();
  }
}

@CommandHandler(StartRenewalCommand)
export class StartRenewalHandler implements ICommandHandler<StartRenewalCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly runner: RenewalRunner,
  ) {}

  async execute({ auth, year }: StartRenewalCommand) {
    const tenantId = auth.principal.tenantId;
    assertCan(auth, 'update', 'RegisterEntry', { tenantId });
    const campaign = await this.db.inTenant(tenantId, async (em) => {
      const created = em.create(RenewalCampaignSchema, { tenantId, year, state: 'running', total: await em.count(RegisterEntrySchema, { state: 'registered' }), report: {}, startedBy: auth.principal.id });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'register.renewal-start', subjectType: 'RenewalCampaign', subjectId: created.id, outcome: 'allowed', detail: { year, total: created.total } });
      return created;
    });
    // Not before the campaign is committed: the runner reads it in transactions of its own.
    this.db.afterCommit(() => void this.runner.run(tenantId, campaign.id).catch(() => undefined));
    return { id: campaign.id, state: campaign.state, total: campaign.total };
  }
}
