import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError } from '../../../../platform/http/app-error';
import type { RequestAuth } from '../../../access/request-auth';
import { CaseChangeRecorder } from '../../../cases/case-change-recorder';
import { currentPlan, loadCoordination } from '../../coordination-access';
import { GoalEvaluationSchema, type GoalEvaluation } from '../../domain/plan.entity';

/** 評価: attainment of each goal of the current plan, usually recorded at the meeting. */
export class RecordEvaluationCommand extends Command<{ id: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly id: string,
    readonly input: { meetingId?: string; results: GoalEvaluation['results'] },
  ) {
    super();
  }
}

@CommandHandler(RecordEvaluationCommand)
export class RecordEvaluationHandler implements ICommandHandler<RecordEvaluationCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, id, input }: RecordEvaluationCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCoordination(em, auth, id, 'update');
      if (found.state !== 'evaluation') throw new AppError('transition_not_allowed', { meta: { state: found.state } });
      const goals = (await currentPlan(em, found.id))?.goals.map((g) => g.id) ?? [];
      const evaluated = new Set(input.results.map((r) => r.goalId));
      if (goals.some((g) => !evaluated.has(g)) || [...evaluated].some((g) => !goals.includes(g))) {
        throw new AppError('validation_failed', {
          errors: [{ field: 'body.results', code: 'goals_mismatch', message: { ja: 'プランの目標すべてを一度ずつ評価してください。', en: 'Evaluate every goal of the plan, once each.' } }],
        });
      }
      const evaluation = em.create(GoalEvaluationSchema, { tenantId: found.tenantId, coordinationCaseId: found.id, meetingId: input.meetingId ?? null, results: input.results, createdBy: auth.principal.id });
      await em.flush();
      await this.recorder.record(em, auth, { id: found.caseId }, {
        aggregate: { type: 'GoalEvaluation', id: evaluation.id, version: 1 },
        type: 'GoalsEvaluated',
        action: 'coordination.evaluate-goals',
        payload: { results: input.results.map((r) => ({ goalId: r.goalId, attainment: r.attainment })) },
      });
      return { id: evaluation.id };
    });
  }
}
