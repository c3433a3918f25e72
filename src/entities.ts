import { DepartmentSchema, DistrictSchema } from './modules/directory/domain/department.entity';
import { RoleAssignmentSchema, StaffSchema } from './modules/directory/domain/staff.entity';
import { SupporterSchema } from './modules/directory/domain/supporter.entity';
import { TenantSchema } from './modules/directory/domain/tenant.entity';

/** Every entity of the service, for the ORM, the migrator and the seeder alike. */
export const ENTITIES = [TenantSchema, DepartmentSchema, DistrictSchema, StaffSchema, RoleAssignmentSchema, SupporterSchema];
