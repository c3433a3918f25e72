import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { CaseSummary } from '../../case-summary';
import type { CaseAction } from '../../domain/case.schemas';

/** One lifecycle transition of a case (start-assessment, close, reopen, …). */
export class ActOnCaseCommand extends Command<CaseSummary> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly action: CaseAction,
    readonly expectedVersion: number,
    readonly reason: string | undefined,
  ) {
    super();
  }
}
