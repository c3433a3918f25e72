import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { OpenCaseInput } from '../../domain/case.schemas';
import type { CaseSummary } from '../../case-summary';

export class OpenCaseCommand extends Command<CaseSummary> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: OpenCaseInput,
  ) {
    super();
  }
}
