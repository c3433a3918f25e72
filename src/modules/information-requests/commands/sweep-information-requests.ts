import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MikroORM } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { JobLock } from '../../../platform/database/job-lock';
import { EventLog } from '../../../platform/events/event-log';
import { JobRuns } from '../../../platform/observability/job-runs';
import { transitionOrRefuse } from '../../../platform/workflow/versioned-transition';
import { AuditLog } from '../../audit/audit-log.service';
import type { AuditContext } from '../../audit/domain/audit-entry';
import { InformationRequestSchema } from '../domain/information-request.entity';
import { informationRequestMachine } from '../domain/information-request.machine';
import { INFORMATION_REQUEST_EVENTS } from '../domain/information-request.schemas';

/** Expires every request still unanswered after its last day (`today` in Japan). */
export class SweepInformationRequestsCommand extends Command<{ expired: number }> {
  constructor(readonly today: string) {
    super();
  }
}

@CommandHandler(SweepInformationRequestsCommand)
export class SweepInformationRequestsHandler implements ICommandHandler<SweepInformationRequestsCommand> {
  constructor(
    private readonly orm: MikroORM,
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly jobs: JobLock,
    private readonly jobRuns: JobRuns,
  ) {}

  /** Each tenant is swept by one instance at a time, like the referral deadlines. */
  execute({ today }: SweepInformationRequestsCommand) {
    return this.jobRuns.track('information-request-expiry', async () => {
      const tenants = await this.orm.em.fork().execute<{ id: string }[]>('select all_tenant_ids() as id');
      let expired = 0;
      for (const { id: tenantId } of tenants) {
        const swept = await this.jobs.runAlone('information-request-expiry', tenantId, () => this.sweep(tenantId, today));
        if (swept.ran) expired += swept.result;
      }
      return { expired };
    });
  }

  private async sweep(tenantId: string, today: string): Promise<number> {
    const system: AuditContext = { tenantId, requestId: null, actor: { type: 'system', id: null, roles: [], departmentId: null } };
    const due = await this.db.inTenant(tenantId, (em) => em.find(InformationRequestSchema, { state: 'requested', expiresOn: { $lt: today } }, { fields: ['id'] }));
    let expired = 0;
    // One short transaction per request: a long sweep must not hold the audit chain for everyone else.
    for (const { id } of due) {
      const done = await this.db.inTenant(tenantId, async (em) => {
        const request = await em.findOne(InformationRequestSchema, { id, state: 'requested' });
        if (!request) return false;
        const from = request.state;
        request.state = transitionOrRefuse(informationRequestMachine, from, {}, { type: 'EXPIRE' });
        await em.flush();
        this.events.append(em, system, {
          aggregateType: 'InformationRequest',
          aggregateId: request.id,
          aggregateVersion: request.version,
          caseId: request.caseId ?? null,
          type: INFORMATION_REQUEST_EVENTS.EXPIRE,
          payload: { from, to: request.state, expiresOn: request.expiresOn },
        });
        await em.flush();
        await this.audit.append(em, system, { action: 'information-request.expire', subjectType: 'InformationRequest', subjectId: request.id, personId: request.personId, outcome: 'allowed', detail: { from, to: request.state } });
        return true;
      });
      if (done) expired++;
    }
    return expired;
  }
}

const EVERY_HOUR = 60 * 60 * 1000;

/** Runs the expiry sweep at start and every hour. */
@Injectable()
export class InformationRequestExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('information-request-expiry');
  private timer?: NodeJS.Timeout;

  constructor(private readonly commands: CommandBus) {}

  onApplicationBootstrap(): void {
    const sweep = () => this.commands.execute(new SweepInformationRequestsCommand(todayInJapan())).catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`));
    this.timer = setInterval(sweep, EVERY_HOUR);
    this.timer.unref();
    void sweep();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
