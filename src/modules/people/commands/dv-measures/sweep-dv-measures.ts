import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MikroORM } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../../../platform/calendar/today';
import { Db } from '../../../../platform/database/db';
import { JobLock } from '../../../../platform/database/job-lock';
import { JobRuns } from '../../../../platform/observability/job-runs';
import { transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import type { AuditContext } from '../../../audit/domain/audit-entry';
import { DvMeasureSchema } from '../../domain/dv-measure.entity';
import { dvMeasureMachine, PROTECTING_STATES, type DvMeasureState } from '../../domain/dv-measure.machine';
import { addToDate, DV_MEASURE_EVENTS, DV_RENEWAL_NOTICE_DAYS } from '../../domain/dv-measure.schemas';
import { DvMeasures } from '../../dv-measures';

/**
 * On `today` (Japan): raises the renewal task (更新の確認) of every active measure ending within
 * DV_RENEWAL_NOTICE_DAYS, once; and lapses every measure whose end (or pending extension's end) has passed.
 * Protection itself already ends with the end date (person_dv_protectors reads the dates): the lapse makes
 * the record and its history say so.
 */
export class SweepDvMeasuresCommand extends Command<{ renewalsDue: number; lapsed: number }> {
  constructor(readonly today: string) {
    super();
  }
}

@CommandHandler(SweepDvMeasuresCommand)
export class SweepDvMeasuresHandler implements ICommandHandler<SweepDvMeasuresCommand> {
  constructor(
    private readonly orm: MikroORM,
    private readonly db: Db,
    private readonly measures: DvMeasures,
    private readonly jobs: JobLock,
    private readonly jobRuns: JobRuns,
  ) {}

  /** Each tenant by one instance at a time, like the other sweeps. */
  execute({ today }: SweepDvMeasuresCommand) {
    return this.jobRuns.track('dv-measure-sweep', async () => {
      const tenants = await this.orm.em.fork().execute<{ id: string }[]>('select all_tenant_ids() as id');
      const total = { renewalsDue: 0, lapsed: 0 };
      for (const { id: tenantId } of tenants) {
        const swept = await this.jobs.runAlone('dv-measure-sweep', tenantId, () => this.sweep(tenantId, today));
        if (!swept.ran) continue;
        total.renewalsDue += swept.result.renewalsDue;
        total.lapsed += swept.result.lapsed;
      }
      return total;
    });
  }

  private async sweep(tenantId: string, today: string) {
    const system: AuditContext = { tenantId, requestId: null, actor: { type: 'system', id: null, roles: [], departmentId: null } };
    const noticeFrom = addToDate(today, { days: DV_RENEWAL_NOTICE_DAYS });
    const [due, ended] = await this.db.inTenant(tenantId, async (em) => [
      await em.find(DvMeasureSchema, { state: 'active', renewalDueOn: null, endsOn: { $lte: noticeFrom } }, { fields: ['id'] }),
      await em.find(DvMeasureSchema, { state: { $in: [...PROTECTING_STATES] }, endsOn: { $lt: today }, $or: [{ pendingEndsOn: null }, { pendingEndsOn: { $lt: today } }] }, { fields: ['id'] }),
    ]);
    let renewalsDue = 0;
    let lapsed = 0;
    // One short transaction per measure: a long sweep must not hold the audit chain for everyone else.
    for (const { id } of ended) {
      const done = await this.db.inTenant(tenantId, async (em) => {
        const measure = await em.findOne(DvMeasureSchema, { id, state: { $in: [...PROTECTING_STATES] } });
        if (!measure) return false;
        const from = measure.state;
        measure.state = transitionOrRefuse(dvMeasureMachine, from, { requestedBy: null }, { type: 'LAPSE' }) as DvMeasureState;
        measure.pendingRequest = measure.pendingRequestedBy = measure.pendingReason = measure.pendingEndsOn = null;
        await em.flush();
        await this.measures.record(em, system, measure, { type: DV_MEASURE_EVENTS.LAPSE, action: 'dv-measure.lapse', payload: { from, to: measure.state, endsOn: measure.endsOn } });
        return true;
      });
      if (done) lapsed++;
    }
    for (const { id } of due) {
      const done = await this.db.inTenant(tenantId, async (em) => {
        const measure = await em.findOne(DvMeasureSchema, { id, state: 'active', renewalDueOn: null });
        if (!measure || measure.endsOn < today) return false;
        measure.renewalDueOn = today;
        await em.flush();
        await this.measures.record(em, system, measure, { type: DV_MEASURE_EVENTS.RENEWAL_DUE, action: 'dv-measure.renewal-due', payload: { endsOn: measure.endsOn, departmentId: measure.departmentId } });
        return true;
      });
      if (done) renewalsDue++;
    }
    return { renewalsDue, lapsed };
  }
}

const EVERY_HOUR = 60 * 60 * 1000;

/** Runs the sweep at start and every hour. */
@Injectable()
export class DvMeasureSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('dv-measure-sweep');
  private timer?: NodeJS.Timeout;

  constructor(private readonly commands: CommandBus) {}

  onApplicationBootstrap(): void {
    const sweep = () => this.commands.execute(new SweepDvMeasuresCommand(todayInJapan())).catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`));
    this.timer = setInterval(sweep, EVERY_HOUR);
    this.timer.unref();
    void sweep();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
