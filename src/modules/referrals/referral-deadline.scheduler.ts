import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { todayInJapan } from '../../platform/calendar/today';
import { SweepReferralDeadlinesCommand } from './commands/sweep-referral-deadlines/sweep-referral-deadlines.command';

const EVERY_HOUR = 60 * 60 * 1000;

/** Runs the deadline sweep at start and every hour. */
@Injectable()
export class ReferralDeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('referral-deadlines');
  private timer?: NodeJS.Timeout;

  constructor(private readonly commands: CommandBus) {}

  onApplicationBootstrap(): void {
    const sweep = () =>
      this.commands.execute(new SweepReferralDeadlinesCommand(todayInJapan())).catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`));
    this.timer = setInterval(sweep, EVERY_HOUR);
    this.timer.unref();
    void sweep();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
