import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';

/** 同意の撤回: shares made before stay recorded; no new share can rest on it. */
export class WithdrawConsentCommand extends Command<{ id: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly caseId: string,
    readonly consentId: string,
    readonly withdrawnOn: string,
    readonly reason: string,
  ) {
    super();
  }
}
