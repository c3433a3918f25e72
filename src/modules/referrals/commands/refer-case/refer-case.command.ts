import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { ReferCaseInput } from '../../domain/referral.schemas';
import type { referralHeader } from '../../referral-view';

/** つなぎ — hand part of a case to another department, sharing only what it needs, on a recorded basis. */
export class ReferCaseCommand extends Command<ReturnType<typeof referralHeader>> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly input: ReferCaseInput,
  ) {
    super();
  }
}
