import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Db } from '../../platform/database/db';
import { JobLock } from '../../platform/database/job-lock';
import { JobRuns } from '../../platform/observability/job-runs';
import type { AuditContext } from '../audit/domain/audit-entry';
import { RegisterEntrySchema, RenewalCampaignSchema } from './domain/register.entity';
import { RegisterBook } from './register-book';

const BATCH = 100;

/**
 * The yearly renewal (更新案内) as a resumable background job: each batch commits its notices and its
 * progress together, and a notice row per entry and campaign means a restarted job never sends twice.
 * One instance runs a campaign at a time (JobLock), so its progress count is never written by two.
 */
@Injectable()
export class RenewalRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('renewal');

  constructor(
    private readonly db: Db,
    private readonly orm: MikroORM,
    private readonly book: RegisterBook,
    private readonly jobs: JobLock,
    private readonly jobRuns: JobRuns,
  ) {}

  /** A job killed with the service picks up where it stopped. */
  async onApplicationBootstrap(): Promise<void> {
    const tenants = await this.orm.em.fork().execute<{ id: string }[]>('select all_tenant_ids() as id');
    for (const { id } of tenants) {
      const running = await this.db.inTenant(id, (em) => em.find(RenewalCampaignSchema, { state: 'running' }));
      for (const campaign of running) void this.run(id, campaign.id).catch((error: Error) => this.logger.warn(`renewal ${campaign.id}: ${error.message}`));
    }
  }

  /** Runs batches until done (or `maxBatches`, to stop early); returns the notices sent in this run (0 while another instance runs it). */
  async run(tenantId: string, campaignId: string, options: { maxBatches?: number; batchSize?: number } = {}): Promise<number> {
    const run = await this.jobs.runAlone('register-renewal', campaignId, () => this.jobRuns.track('register-renewal', () => this.batches(tenantId, campaignId, options)));
    return run.ran ? run.result : 0;
  }

  private async batches(tenantId: string, campaignId: string, { maxBatches = Infinity, batchSize = BATCH }): Promise<number> {
    const system: AuditContext = { tenantId, requestId: null, actor: { type: 'system', id: null, roles: [], departmentId: null } };
    let sent = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const count = await this.db.inTenant(tenantId, async (em) => {
        const campaign = await em.findOneOrFail(RenewalCampaignSchema, { id: campaignId });
        if (campaign.state !== 'running') return 0;
        const due = await em.execute<{ id: string }[]>(
          `select e.id from register_entries e where e.state = 'registered'
             and not exists (select 1 from renewal_notices n where n.campaign_id = ? and n.entry_id = e.id)
           order by e.id limit ?`,
          [campaignId, batchSize],
        );
        const entries = await em.find(RegisterEntrySchema, { id: { $in: due.map((d) => d.id) } }, { orderBy: { id: 'asc' } });
        let noticed = 0;
        for (const entry of entries) {
          const inserted = await em.execute<unknown[]>(
            `insert into renewal_notices (tenant_id, campaign_id, entry_id) values (?, ?, ?) on conflict do nothing returning entry_id`,
            [tenantId, campaignId, entry.id],
          );
          if (inserted.length === 0) continue;
          await this.book.transition(em, system, entry, { type: 'SEND_RENEWAL' });
          noticed++;
        }
        campaign.processed += noticed;
        if (noticed === 0) Object.assign(campaign, { state: 'completed', finishedAt: new Date(), report: { ...campaign.report, noticesSent: campaign.processed } });
        await em.flush();
        return noticed;
      });
      sent += count;
      if (count === 0) break;
    }
    return sent;
  }
}
