import { Migration } from '@mikro-orm/migrations';

const DIRECTORY_TABLES = ['staff', 'role_assignments', 'departments', 'supporters', 'access_grants'];

/**
 * Commits tell the service's instances what changed, through NOTIFY (delivered on commit, never on a
 * rollback): `tsunagi_outbox` when domain events were appended, so the relay wakes at once instead of
 * polling; `tsunagi_directory` (payload: the tenant) when who someone is or may see changed, so a
 * cached principal is dropped on every instance.
 */
export class Migration20261127174000_change_notifications extends Migration {
  override name = 'Migration20261127174000_change_notifications';

  override up(): void {
    this.addSql(
      `create function notify_outbox() returns trigger language plpgsql as $$
      begin
        perform pg_notify('tsunagi_outbox', '');
        return null;
      end $$`,
    );
    this.addSql(`create trigger domain_events_notify after insert on domain_events for each statement execute function notify_outbox()`);
    this.addSql(
      `create function notify_directory() returns trigger language plpgsql as $$
      begin
        perform pg_notify('tsunagi_directory', coalesce(current_setting('app.tenant_id', true), ''));
        return null;
      end $$`,
    );
    for (const table of DIRECTORY_TABLES) {
      this.addSql(`create trigger ${table}_notify_directory after insert or update or delete on ${table} for each statement execute function notify_directory()`);
    }
  }

  override down(): void {
    for (const table of DIRECTORY_TABLES) this.addSql(`drop trigger ${table}_notify_directory on ${table}`);
    this.addSql(`drop trigger domain_events_notify on domain_events`);
    this.addSql(`drop function notify_directory(); drop function notify_outbox()`);
  }
}
