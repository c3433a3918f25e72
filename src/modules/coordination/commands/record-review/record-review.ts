import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError } from '../../../../platform/http/app-error';
import type { RequestAuth } from '../../../access/request-auth';
import { CaseChangeRecorder } from '../../../cases/case-change-recorder';
import { currentPlan, loadCoordination } from '../../coordination-access';
import { MonitoringReviewSchema } from '../../domain/plan.entity';

/** モニタリング: a review of how the plan goes, naming the goals to re-plan if any. */
export class RecordReviewCommand extends Command<{ id: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly id: string,
    readonly input: { heldOn: string; notes: string; replanGoalIds: string[] },
  ) {
    super();
  }
}

@CommandHandler(RecordReviewCommand)
export class RecordReviewHandler implements ICommandHandler<RecordReviewCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, id, input }: RecordReviewCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCoordination(em, auth, id, 'update');
      if (!['support', 'monitoring', 'replanning'].includes(found.state)) throw new AppError('transition_not_allowed', { meta: { state: found.state } });
      const goals = new Set((await currentPlan(em, found.id))?.goals.map((g) => g.id));
      if (input.replanGoalIds.some((g) => !goals.has(g))) {
        throw new AppError('validation_failed', { errors: [{ field: 'body.replanGoalIds', code: 'unknown_goal', message: { ja: 'プランにない目標です。', en: 'No such goal in the plan.' } }] });
      }
      const review = em.create(MonitoringReviewSchema, { ...input, tenantId: found.tenantId, coordinationCaseId: found.id, createdBy: auth.principal.id });
      await em.flush();
      await this.recorder.record(em, auth, { id: found.caseId }, {
        aggregate: { type: 'MonitoringReview', id: review.id, version: 1 },
        type: 'MonitoringReviewRecorded',
        action: 'coordination.review',
        payload: { heldOn: input.heldOn, replanGoalIds: input.replanGoalIds },
      });
      return { id: review.id };
    });
  }
}
