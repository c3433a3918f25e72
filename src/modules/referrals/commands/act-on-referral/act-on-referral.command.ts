import { Command } from '@nestjs/cqrs';
import type { RequestAuth } from '../../../access/request-auth';
import type { ReferralAction, ReferralActionBody } from '../../domain/referral.schemas';
import type { referralHeader } from '../../referral-view';

/** The receiver accepts, declines, works and completes; the sender withdraws or resubmits; the sending manager approves or returns a special share. */
export class ActOnReferralCommand extends Command<ReturnType<typeof referralHeader>> {
  constructor(
    readonly auth: RequestAuth,
    readonly referralId: string,
    readonly action: ReferralAction,
    readonly expectedVersion: number,
    readonly body: ReferralActionBody,
  ) {
    super();
  }
}
