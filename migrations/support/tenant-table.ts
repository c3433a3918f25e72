/** The role that holds the service's grants; the service's login belongs to it and owns nothing, so row-level security applies. */
export const APP_ROLE = 'tsunagi_app';

/**
 * SQL that puts a table under tenant isolation: RLS on, one policy keyed to the transaction's
 * `app.tenant_id`, and the privileges the service's role gets: no more, since the service owns nothing
 * and a table not granted here stays closed to it. Every tenant table goes through this.
 */
export function tenantTable(
  table: string,
  privileges = 'select, insert, update, delete',
  tenantColumn = 'tenant_id',
): string[] {
  return [
    `alter table ${table} enable row level security`,
    `create policy ${table}_tenant_isolation on ${table} using (${tenantColumn} = app_current_tenant()) with check (${tenantColumn} = app_current_tenant())`,
    `grant ${privileges} on ${table} to ${APP_ROLE}`,
  ];
}
