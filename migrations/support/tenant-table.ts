/** The role the service runs its transactions as; row-level security applies to it (it is no owner). */
export const APP_ROLE = 'tsunagi_app';

/**
 * SQL that puts a table under tenant isolation: RLS on, one policy keyed to the transaction's
 * `app.tenant_id`, and the privileges the service role gets. Every tenant table goes through this.
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
