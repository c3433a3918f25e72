import { Migration } from '@mikro-orm/migrations';

/**
 * 要配慮個人情報 shares on 個保法69条②4 (APPI_SPECIAL): a counselor prepares the referral, the sending
 * department's manager approves it (only then does it leave, with receipts naming the approval) or
 * returns it with a reason.
 */
export class Migration20261127173000_special_share_approval extends Migration {
  override name = 'Migration20261127173000_special_share_approval';

  override up(): void {
    // Everyone who prepared or revised a share (creator, resubmitters): none of them may approve it.
    this.addSql(`alter table referrals add column approved_by uuid, add column approved_at timestamptz, add column return_reason text, add column preparer_ids uuid[] not null default '{}'`);
    this.addSql(`alter table disclosures add column approved_by uuid, add column approved_at timestamptz`);
    // The manager's box: shares of their departments waiting for a decision.
    this.addSql(`create index referrals_awaiting_approval on referrals (tenant_id, from_department_id, created_at, id) where state = 'awaiting_approval'`);
  }
}
