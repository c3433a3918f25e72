import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { TenantSchema } from '../../domain/tenant.entity';
import { TENANT_SETTING_FIELDS, type TenantSettingField, type UpdateTenantSettingsInput } from '../../domain/tenant-settings.schemas';
import { tenantSettingsRow, tenantSettingsView, type TenantSettingsView } from '../../tenant-settings';

/** An administrator changes the tenant's settings: the version they read must be current, and the audit row says what changed from what. */
export class UpdateTenantSettingsCommand extends Command<TenantSettingsView> {
  constructor(
    readonly auth: RequestAuth,
    readonly expectedVersion: number,
    readonly input: Omit<UpdateTenantSettingsInput, 'version'>,
  ) {
    super();
  }
}

@CommandHandler(UpdateTenantSettingsCommand)
export class UpdateTenantSettingsHandler implements ICommandHandler<UpdateTenantSettingsCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, expectedVersion, input }: UpdateTenantSettingsCommand) {
    const { tenantId } = auth.principal;
    assertCan(auth, 'update', 'TenantSettings', { tenantId });
    return this.db.inTenant(tenantId, async (em) => {
      const tenant = await em.findOneOrFail(TenantSchema, { id: tenantId });
      const settings = await tenantSettingsRow(em, tenantId);
      assertVersion(settings, expectedVersion);
      const current = { name: tenant.name, referralResponseBusinessDays: settings.referralResponseBusinessDays, referralExpiryGraceBusinessDays: settings.referralExpiryGraceBusinessDays };
      const changes: Partial<Record<TenantSettingField, { from: unknown; to: unknown }>> = {};
      for (const field of Object.keys(TENANT_SETTING_FIELDS) as TenantSettingField[]) {
        const to = input[field];
        if (to !== undefined && to !== current[field]) changes[field] = { from: current[field], to };
      }
      if (changes.name) tenant.name = input.name!;
      em.assign(settings, { referralResponseBusinessDays: input.referralResponseBusinessDays ?? settings.referralResponseBusinessDays, referralExpiryGraceBusinessDays: input.referralExpiryGraceBusinessDays ?? settings.referralExpiryGraceBusinessDays });
      // Touched even when only the name changed, so the version moves and a concurrent edit is refused.
      settings.updatedAt = new Date();
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: 'tenant-settings.update',
        subjectType: 'TenantSettings',
        subjectId: tenantId,
        outcome: 'allowed',
        detail: { fromVersion: expectedVersion, toVersion: settings.version, changes },
      });
      return tenantSettingsView(tenant, settings);
    });
  }
}
