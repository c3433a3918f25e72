import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { DepartmentSchema, DistrictSchema } from '../src/modules/directory/domain/department.entity';
import { RoleAssignmentSchema, StaffSchema } from '../src/modules/directory/domain/staff.entity';
import { SupporterSchema } from '../src/modules/directory/domain/supporter.entity';
import { TenantSchema } from '../src/modules/directory/domain/tenant.entity';
import { DEMO_ACCOUNTS, DEMO_TENANTS, accountId, demoId, departmentId, tenantId } from './demo-data';

/** The reference municipality, a second tenant to prove isolation, and the demo accounts. */
export class DemoSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    // Entities here carry plain foreign keys, not relations: flush parents before children.
    for (const tenant of DEMO_TENANTS) em.create(TenantSchema, { id: tenantId(tenant.code), code: tenant.code, name: tenant.name });
    await em.flush();
    for (const tenant of DEMO_TENANTS) {
      const tid = tenantId(tenant.code);
      tenant.departments.forEach((d, index) =>
        em.create(DepartmentSchema, {
          id: departmentId(tenant.code, d.code),
          tenantId: tid,
          code: d.code,
          name: d.name,
          sortOrder: index,
          coordinating: d.code === 'chiiki-kyosei',
          responsibilities: d.code === 'fukushi' ? ['register'] : d.code === 'anshin-anzen' ? ['disaster'] : [],
          organ: d.organ ?? 'mayor',
        }),
      );
      for (const d of tenant.districts) {
        em.create(DistrictSchema, { id: demoId(`district:${tenant.code}:${d.code}`), tenantId: tid, code: d.code, name: d.name, neighbours: d.neighbours ?? [] });
      }
    }
    await em.flush();
    for (const account of DEMO_ACCOUNTS) {
      const common = {
        id: accountId(account.login),
        tenantId: tenantId(account.tenant),
        subject: account.login,
        login: account.login,
        displayName: account.displayName,
      };
      if (account.kind === 'supporter') {
        em.create(SupporterSchema, {
          ...common,
          organizationType: account.organizationType,
          organizationName: account.organizationName,
          districtCodes: account.districts,
        });
        continue;
      }
      em.create(StaffSchema, { ...common, email: `${account.login}@${account.tenant}.example.jp` });
      await em.flush();
      for (const { role, department } of account.roles) {
        em.create(RoleAssignmentSchema, {
          tenantId: common.tenantId,
          staffId: common.id,
          role,
          departmentId: department ? departmentId(account.tenant, department) : null,
        });
      }
    }
    await em.flush();
  }
}
