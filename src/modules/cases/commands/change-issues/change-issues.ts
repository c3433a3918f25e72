import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import type { RequestAuth } from '../../../access/request-auth';
import { loadCaseToChange } from '../../case-access';
import { CaseChangeRecorder } from '../../case-change-recorder';
import { caseSummary, type CaseSummary } from '../../case-summary';
import { CaseIssuesChanged } from '../../domain/case-events';
import type { ChangeIssuesInput } from '../../domain/case.schemas';

export class ChangeIssuesCommand extends Command<CaseSummary> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly expectedVersion: number,
    readonly input: ChangeIssuesInput,
  ) {
    super();
  }
}

/**
 * The case's issues as they are understood now. The event carries the case id, so once committed the
 * 多機関協働 criteria are evaluated again (CandidateWatcher reads it from the outbox).
 */
@CommandHandler(ChangeIssuesCommand)
export class ChangeIssuesHandler implements ICommandHandler<ChangeIssuesCommand> {
  constructor(
    private readonly db: Db,
    private readonly recorder: CaseChangeRecorder,
  ) {}

  execute({ auth, caseId, expectedVersion, input }: ChangeIssuesCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCaseToChange(em, auth, caseId, expectedVersion);
      const before = found.issues;
      found.issues = input.issues;
      await em.flush();
      await this.recorder.record(em, auth, found, {
        aggregate: { type: 'Case', id: found.id, version: found.version },
        type: CaseIssuesChanged,
        action: 'case.change-issues',
        payload: { from: before, issues: input.issues, ...(input.reason ? { reason: input.reason } : {}) },
      });
      return caseSummary(em, auth, found);
    });
  }
}
