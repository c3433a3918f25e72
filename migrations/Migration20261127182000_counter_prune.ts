import { Migration } from '@mikro-orm/migrations';
import { coordinationStageCounter, criteriaCounter, openTaskCounter } from './Migration20261123050000_projections';
import { referralDurationCounter, referralMonthCounter } from './Migration20261123080000_referral_rollups';
import { counterFunction } from './support/counted-by-trigger';

/**
 * The counters' trigger functions prune by grouped keys (see support/counted-by-trigger.ts): a read
 * model rebuilt at 5·10⁴ cases spent 196 s in one trigger; the same statement now takes under a second.
 */
export class Migration20261127182000_counter_prune extends Migration {
  override name = 'Migration20261127182000_counter_prune';

  override up(): void {
    for (const counter of [coordinationStageCounter, openTaskCounter, criteriaCounter, referralMonthCounter, referralDurationCounter]) this.addSql(counterFunction(counter));
  }
}
