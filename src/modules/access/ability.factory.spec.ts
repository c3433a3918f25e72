import { subject } from '@casl/ability';
import type { Principal } from '../directory/domain/principal';
import type { Role } from '../directory/domain/staff.entity';
import { AbilityFactory } from './ability.factory';
import { accessibleWhere } from './accessible-where';
import { pickPermitted } from './permitted-fields';

const TENANT = 'tenant-a';
const staff = (...roles: [Role, string | null][]): Principal => ({
  kind: 'staff',
  id: 's1',
  tenantId: TENANT,
  displayName: 'x',
  roles: roles.map(([role, departmentId]) => ({ role, departmentId, departmentCode: departmentId })),
});
const supporter: Principal = { kind: 'supporter', id: 'p1', tenantId: TENANT, displayName: 'y', organizationType: 'minsei_iin', districtCodes: ['A'] };
const abilities = new AbilityFactory();

describe('AbilityFactory', () => {
  it.each([
    ['admin', staff(['admin', null]), { readStaff: true, createStaff: true, verifyAudit: false, readDepartments: true }],
    ['auditor', staff(['auditor', null]), { readStaff: false, createStaff: false, verifyAudit: true, readDepartments: true }],
    ['manager', staff(['manager', 'choju']), { readStaff: true, createStaff: false, verifyAudit: false, readDepartments: true }],
    ['counselor', staff(['counselor', 'choju']), { readStaff: false, createStaff: false, verifyAudit: false, readDepartments: true }],
    ['supporter', supporter, { readStaff: false, createStaff: false, verifyAudit: false, readDepartments: false }],
  ])('%s', (_name, principal, expected) => {
    const ability = abilities.for(principal);
    expect({
      readStaff: ability.can('read', subject('Staff', { tenantId: TENANT })),
      createStaff: ability.can('create', subject('Staff', { tenantId: TENANT })),
      verifyAudit: ability.can('verify', subject('AuditLog', { tenantId: TENANT })),
      readDepartments: ability.can('read', subject('Department', { tenantId: TENANT })),
    }).toEqual(expected);
    expect(ability.can('read', 'Me')).toBe(true);
  });

  it("never grants anything on another tenant's records", () => {
    const ability = abilities.for(staff(['admin', null], ['auditor', null], ['manager', 'choju']));
    for (const type of ['Staff', 'Department', 'AuditLog'] as const) {
      for (const action of ['read', 'create', 'update', 'verify'] as const) {
        expect(ability.can(action, subject(type, { tenantId: 'tenant-b' }))).toBe(false);
      }
    }
  });

  it('turns the same rules into a SQL filter for lists', () => {
    expect(accessibleWhere(abilities.for(staff(['manager', 'choju'])), 'read', 'Staff')).toEqual({ $or: [{ tenantId: TENANT }] });
    expect(accessibleWhere(abilities.for(staff(['counselor', 'choju'])), 'read', 'Staff')).toBeNull();
  });

  it('limits the fields a manager sees of a colleague', () => {
    const record = { id: 's2', tenantId: TENANT, displayName: 'z', login: 'z', email: 'z@x', roles: [] };
    expect(pickPermitted(abilities.for(staff(['manager', 'choju'])), 'read', 'Staff', record)).toEqual({ id: 's2', displayName: 'z', roles: [] });
    expect(pickPermitted(abilities.for(staff(['admin', null])), 'read', 'Staff', record)).toEqual(record);
  });
});
