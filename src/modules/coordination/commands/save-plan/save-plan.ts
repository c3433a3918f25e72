import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError, fieldError } from '../../../../platform/http/app-error';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import type { RequestAuth } from '../../../access/request-auth';
import { CaseChangeRecorder } from '../../../cases/case-change-recorder';
import { DepartmentSchema } from '../../../directory/domain/department.entity';
import { currentPlan, loadCoordination } from '../../coordination-access';
import { coordinationSummary } from '../../coordination-summary';
import type { SavePlanInput } from '../../domain/coordination.schemas';
import { PlanTaskSchema, SupportPlanSchema } from '../../domain/plan.entity';

/**
 * Drafts the 支援プラン as a new version: goals and tasks per department. Earlier versions are kept
 * (superseded); their open tasks are cancelled, their reported tasks stay as they were.
 */
export class SavePlanCommand extends Command<Awaited<ReturnType<typeof coordinationSummary>> & { planVersion: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly id: string,
    readonly expectedVersion: number,
    readonly input: SavePlanInput,
  ) {
    super();
  }
}

@CommandHandler(SavePlanCommand)
export class SavePlanHandler implements ICommandHandler<SavePlanCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, id, expectedVersion, input }: SavePlanCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCoordination(em, auth, id, 'update');
      assertVersion(found, expectedVersion);
      if (!['planning', 'replanning'].includes(found.state)) {
        throw new AppError('transition_not_allowed', { detail: { ja: 'プランは作成中・再プラン中にのみ編集できます。', en: 'The plan can be edited only while planning or re-planning.' }, meta: { state: found.state } });
      }
      const departments = new Set(input.tasks.map((t) => t.departmentId));
      if ((await em.count(DepartmentSchema, { id: { $in: [...departments] } })) !== departments.size) {
        throw fieldError('body.tasks', 'unknown_department', { ja: 'この自治体にない課へのタスクがあります。', en: 'A task names a department that is not of this municipality.' });
      }
      const previous = await currentPlan(em, found.id);
      if (previous) {
        previous.state = 'superseded';
        await em.nativeUpdate(PlanTaskSchema, { coordinationCaseId: found.id, status: 'open' }, { status: 'cancelled' });
      }
      const version = (previous?.version ?? 0) + 1;
      em.create(SupportPlanSchema, { tenantId: found.tenantId, coordinationCaseId: found.id, version, goals: input.goals, state: 'draft', createdBy: auth.principal.id });
      const tasks = input.tasks.map((task) =>
        em.create(PlanTaskSchema, {
          ...task,
          goalId: task.goalId ?? null,
          ownerId: task.ownerId ?? null,
          resource: task.resource ?? null,
          tenantId: found.tenantId,
          coordinationCaseId: found.id,
          planVersion: version,
          status: 'open',
        }),
      );
      found.updatedAt = new Date();
      await em.flush();
      await this.recorder.record(em, auth, { id: found.caseId }, {
        aggregate: { type: 'CoordinationCase', id: found.id, version: found.version },
        type: 'SupportPlanDrafted',
        action: 'coordination.save-plan',
        payload: {
          planVersion: version,
          goals: input.goals.length,
          tasks: input.tasks.length,
          participation: input.tasks.filter((t) => t.kind === 'participation').length,
          // The read model of overdue tasks is fed from this event alone.
          planTasks: tasks.map((t) => ({ id: t.id, departmentId: t.departmentId, dueOn: t.dueOn })),
        },
      });
      return { ...(await coordinationSummary(em, auth, found)), planVersion: version };
    });
  }
}
