import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { CaseChangeRecorder } from '../../../cases/case-change-recorder';
import { CoordinationCaseSchema } from '../../domain/coordination.entity';
import { PlanTaskSchema } from '../../domain/plan.entity';
import { NOT_STARTED, participationStarted } from '../../../participation/participation-progress';

/** A department reports on its task of the plan, and may mark it done. */
export class ReportTaskCommand extends Command<{ id: string; status: string; version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly taskId: string,
    readonly expectedVersion: number,
    readonly report: string,
    readonly done: boolean,
  ) {
    super();
  }
}

@CommandHandler(ReportTaskCommand)
export class ReportTaskHandler implements ICommandHandler<ReportTaskCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, taskId, expectedVersion, report, done }: ReportTaskCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const task = await em.findOne(PlanTaskSchema, { id: taskId });
      if (!task) throw notFound({ ja: 'タスクが見つかりません。', en: 'No such task.' });
      assertCan(auth, 'report', 'PlanTask', task);
      assertVersion(task, expectedVersion);
      if (task.status !== 'open') throw new AppError('transition_not_allowed', { meta: { state: task.status } });
      if (done && task.kind === 'participation' && !(await participationStarted(em, task.id))) throw new AppError('guard_failed', { detail: NOT_STARTED, meta: { field: 'body.done' } });
      Object.assign(task, { report, reportedAt: new Date(), status: done ? 'done' : 'open' });
      await em.flush();
      const coordination = await em.findOneOrFail(CoordinationCaseSchema, { id: task.coordinationCaseId });
      await this.recorder.record(em, auth, { id: coordination.caseId }, {
        aggregate: { type: 'PlanTask', id: task.id, version: task.version },
        type: done ? 'PlanTaskCompleted' : 'PlanTaskReported',
        action: 'coordination.report-task',
        payload: { taskId, title: task.title, departmentId: task.departmentId, report },
      });
      return { id: task.id, status: task.status, version: task.version };
    });
  }
}
