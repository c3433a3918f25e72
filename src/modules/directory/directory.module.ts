import { Module } from '@nestjs/common';
import { AbilityFactory } from '../access/ability.factory';
import { AuditModule } from '../audit/audit.module';
import { ActOnRoleChangeHandler } from './commands/act-on-role-change/act-on-role-change';
import { CreateStaffHandler } from './commands/create-staff/create-staff.handler';
import { UpdateStaffHandler } from './commands/update-staff/update-staff.handler';
import { UpdateTenantSettingsHandler } from './commands/update-tenant-settings/update-tenant-settings';
import { DirectoryController } from './http/directory.controller';
import { RoleChangesController } from './http/role-changes.controller';
import { TenantSettingsController } from './http/tenant-settings.controller';
import { PrincipalLoader } from './principal-loader';
import { Principals } from './principals';
import { DIRECTORY_QUERY_HANDLERS } from './queries/directory.queries';
import { ROLE_CHANGE_QUERY_HANDLERS } from './queries/role-change-queries';
import { GetTenantSettingsHandler } from './queries/tenant-settings.queries';
import { RoleChanges } from './role-changes';
import { StaffDirectory } from './staff-directory';

/** Tenants, departments (課), staff and their roles (changes that open personal data need a second person), community supporters. */
@Module({
  imports: [AuditModule],
  controllers: [DirectoryController, RoleChangesController, TenantSettingsController],
  providers: [
    PrincipalLoader,
    Principals,
    StaffDirectory,
    // Stateless; provided here too because the access module imports this one (for the principal loader).
    AbilityFactory,
    RoleChanges,
    CreateStaffHandler,
    UpdateStaffHandler,
    ActOnRoleChangeHandler,
    UpdateTenantSettingsHandler,
    GetTenantSettingsHandler,
    ...DIRECTORY_QUERY_HANDLERS,
    ...ROLE_CHANGE_QUERY_HANDLERS,
  ],
  exports: [PrincipalLoader, Principals],
})
export class DirectoryModule {}
