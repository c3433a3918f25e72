import { Command } from '@nestjs/cqrs';

/** Marks unanswered referrals overdue, and expires those past the grace period back to the sender. */
export class SweepReferralDeadlinesCommand extends Command<{ overdue: number; expired: number }> {
  constructor(readonly today: string) {
    super();
  }
}
