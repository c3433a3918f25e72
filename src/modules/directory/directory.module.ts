import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CreateStaffHandler } from './commands/create-staff/create-staff.handler';
import { UpdateStaffHandler } from './commands/update-staff/update-staff.handler';
import { DirectoryController } from './http/directory.controller';
import { PrincipalLoader } from './principal-loader';
import { DIRECTORY_QUERY_HANDLERS } from './queries/directory.queries';
import { StaffDirectory } from './staff-directory';

/** Tenants, departments (課), staff and their roles, community supporters. */
@Module({
  imports: [AuditModule],
  controllers: [DirectoryController],
  providers: [PrincipalLoader, StaffDirectory, CreateStaffHandler, UpdateStaffHandler, ...DIRECTORY_QUERY_HANDLERS],
  exports: [PrincipalLoader],
})
export class DirectoryModule {}
