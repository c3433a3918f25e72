import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Db } from '../../../../platform/database/db';
import { JobLock } from '../../../../platform/database/job-lock';
import { JobRuns } from '../../../../platform/observability/job-runs';
import { EventLog } from '../../../../platform/events/event-log';
import { transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import { AuditLog } from '../../../audit/audit-log.service';
import type { AuditContext } from '../../../audit/domain/audit-entry';
import { ReferralSchema, type Referral } from '../../domain/referral.entity';
import { referralMachine } from '../../domain/referral.machine';
import { SweepReferralDeadlinesCommand } from './sweep-referral-deadlines.command';

@CommandHandler(SweepReferralDeadlinesCommand)
export class SweepReferralDeadlinesHandler implements ICommandHandler<SweepReferralDeadlinesCommand> {
  constructor(
    private readonly orm: MikroORM,
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly jobs: JobLock,
    private readonly jobRuns: JobRuns,
  ) {}

  /** Each tenant is swept by one instance at a time; an instance that finds it taken leaves it to that one. */
  execute({ today }: SweepReferralDeadlinesCommand) {
    return this.jobRuns.track('referral-deadlines', () => this.sweepAll(today));
  }

  private async sweepAll(today: string) {
    const tenants = await this.orm.em.fork().execute<{ id: string }[]>('select all_tenant_ids() as id');
    const totals = { overdue: 0, expired: 0 };
    for (const { id: tenantId } of tenants) {
      const swept = await this.jobs.runAlone('referral-deadlines', tenantId, () => this.sweep(tenantId, today));
      if (swept.ran) for (const outcome of swept.result) totals[outcome]++;
    }
    return totals;
  }

  private async sweep(tenantId: string, today: string): Promise<('overdue' | 'expired')[]> {
    const system: AuditContext = { tenantId, requestId: null, actor: { type: 'system', id: null, roles: [], departmentId: null } };
    const waiting = await this.db.inTenant(tenantId, (em) =>
      em.find(ReferralSchema, { state: 'proposed', dueOn: { $lt: today } }, { fields: ['id'], orderBy: { dueOn: 'asc' } }),
    );
    const outcomes: ('overdue' | 'expired')[] = [];
    // One short transaction per referral: a long sweep must not hold the audit chain for everyone else.
    for (const { id } of waiting) {
      const outcome = await this.db.inTenant(tenantId, async (em) => {
        const referral = await em.findOne(ReferralSchema, { id, state: 'proposed' });
        if (!referral) return null;
        if (referral.expiresOn < today) {
          referral.state = transitionOrRefuse(referralMachine, referral.state, {}, { type: 'EXPIRE' });
          await this.record(em, system, referral, 'ReferralExpired', 'referral.expire');
          return 'expired' as const;
        }
        if (referral.overdueAt) return null;
        referral.overdueAt = new Date();
        await this.record(em, system, referral, 'ReferralOverdue', 'referral.overdue');
        return 'overdue' as const;
      });
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  }

  private async record(em: EntityManager, system: AuditContext, referral: Referral, type: string, action: string): Promise<void> {
    await em.flush();
    this.events.append(em, system, {
      aggregateType: 'Referral',
      aggregateId: referral.id,
      aggregateVersion: referral.version,
      caseId: referral.caseId,
      type,
      payload: { fromDepartmentId: referral.fromDepartmentId, toDepartmentId: referral.toDepartmentId, dueOn: referral.dueOn, expiresOn: referral.expiresOn },
    });
    await em.flush();
    await this.audit.append(em, system, { action, subjectType: 'Referral', subjectId: referral.id, outcome: 'allowed', detail: { state: referral.state } });
  }
}
