import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { assertCan } from '../../access/assert-can';
import type { RequestAuth } from '../../access/request-auth';
import { readTenantSettings, type TenantSettingsView } from '../tenant-settings';

export class GetTenantSettingsQuery extends Query<TenantSettingsView> {
  constructor(readonly auth: RequestAuth) {
    super();
  }
}

@QueryHandler(GetTenantSettingsQuery)
export class GetTenantSettingsHandler implements IQueryHandler<GetTenantSettingsQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth }: GetTenantSettingsQuery) {
    assertCan(auth, 'read', 'TenantSettings', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, (em) => readTenantSettings(em, auth.principal.tenantId));
  }
}
