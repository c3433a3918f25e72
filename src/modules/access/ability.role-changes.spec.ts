import { subject } from '@casl/ability';
import type { Principal, RoleInDepartment } from '../directory/domain/principal';
import type { Role } from '../directory/domain/staff.entity';
import { AbilityFactory } from './ability.factory';
import { accessibleWhere } from './accessible-where';

const TENANT = 'tenant-a';
const abilities = new AbilityFactory();
const staff = (id: string, ...roles: [Role, string | null][]): Principal => ({
  kind: 'staff',
  id,
  tenantId: TENANT,
  displayName: id,
  roles: roles.map(([role, departmentId]) => ({ role, departmentId, departmentCode: departmentId })),
  caseGrants: [],
});
const request = (over: Record<string, unknown> = {}) =>
  subject('RoleChange', { id: 'rc1', tenantId: TENANT, staffId: 'subject', requestedBy: 'requester', decidingDepartmentId: 'choju', ...over });

describe('AbilityFactory: role changes (権限付与申請)', () => {
  describe('who decides', () => {
    it.each([
      ['another administrator', staff('admin-2', ['admin', null]), request(), true],
      ['another administrator, roles beyond one department', staff('admin-2', ['admin', null]), request({ decidingDepartmentId: null }), true],
      ["the department's manager", staff('m', ['manager', 'choju']), request(), true],
      ["another department's manager", staff('m', ['manager', 'fukushi']), request(), false],
      ['a manager, roles beyond one department', staff('m', ['manager', 'choju']), request({ decidingDepartmentId: null }), false],
      ['the requester', staff('requester', ['admin', null]), request(), false],
      ['the staff member concerned, an administrator', staff('subject', ['admin', null]), request(), false],
      ['the staff member concerned, the manager', staff('subject', ['manager', 'choju']), request(), false],
      ['a counselor of the department', staff('c', ['counselor', 'choju']), request(), false],
      ['an auditor', staff('a', ['auditor', null]), request(), false],
      ['an administrator of another tenant', staff('admin-2', ['admin', null]), request({ tenantId: 'tenant-b' }), false],
    ])('%s → %s', (_name, principal, record, allowed) => {
      expect(abilities.for(principal).can('decide', record)).toBe(allowed);
    });

    it('lets only the requester withdraw, and only administrators ask', () => {
      expect(abilities.for(staff('requester', ['admin', null])).can('withdraw', request())).toBe(true);
      expect(abilities.for(staff('admin-2', ['admin', null])).can('withdraw', request())).toBe(false);
      expect(abilities.for(staff('admin-2', ['admin', null])).can('create', subject('RoleChange', { tenantId: TENANT, staffId: 'someone' }))).toBe(true);
      expect(abilities.for(staff('m', ['manager', 'choju'])).can('create', subject('RoleChange', { tenantId: TENANT, staffId: 'someone' }))).toBe(false);
    });

    it('never lets anyone ask for their own roles', () => {
      const self = staff('admin-1', ['admin', null], ['manager', 'choju']);
      expect(abilities.for(self).can('create', subject('RoleChange', { tenantId: TENANT, staffId: 'admin-1' }))).toBe(false);
    });

    it('lists to a manager the requests about their department, to an administrator all', () => {
      expect(accessibleWhere(abilities.for(staff('m', ['manager', 'choju'])), 'read', 'RoleChange')).toEqual({
        $or: [{ tenantId: TENANT, decidingDepartmentId: { $in: ['choju'] } }],
      });
      expect(accessibleWhere(abilities.for(staff('admin-2', ['admin', null])), 'read', 'RoleChange')).toEqual({ $or: [{ tenantId: TENANT }] });
      expect(accessibleWhere(abilities.for(staff('c', ['counselor', 'choju'])), 'read', 'RoleChange')).toBeNull();
    });
  });

  describe('which roles open personal data (opens)', () => {
    const role = (r: Role, departmentId: string | null, department: Partial<RoleInDepartment> = {}): RoleInDepartment => ({ role: r, departmentId, departmentCode: departmentId, ...department });

    it.each([
      ['a counselor of any department', role('counselor', 'kikaku'), ['read Case', 'readSensitive Case', 'read Referral', 'read PlanTask', 'create RegisterEntry']],
      ['a manager', role('manager', 'choju'), ['read Case', 'shareSpecial Referral', 'read Referral', 'decide RoleChange']],
      ['a coordinator of the coordinating department', role('coordinator', 'chiiki-kyosei', { coordinating: true }), ['read CoordinationCase', 'readShared Meeting', 'decide Escalation']],
      ['a counselor of 福祉課, which keeps the register', role('counselor', 'fukushi', { responsibilities: ['register'] }), ['read RegisterEntry', 'read Roster', 'read EvacuationPlan']],
      ['a counselor of 安心安全課, which declares disasters', role('counselor', 'anshin-anzen', { responsibilities: ['disaster'] }), ['read Case']],
      ['an auditor', role('auditor', null), ['read AuditLog']],
      ['an administrator, who decides who may read', role('admin', null), ['decide AccessGrant', 'decide RoleChange']],
    ])('%s', (_name, held, expected) => {
      expect(abilities.opens(TENANT, held)).toEqual(expect.arrayContaining(expected));
    });

    it('counts only what the role adds: what every staff member has (meetings they sit in, disasters) is not opened by it', () => {
      const opened = abilities.opens(TENANT, role('counselor', 'anshin-anzen', { responsibilities: ['disaster'] }));
      expect(opened).not.toContain('create Disaster');
      expect(opened).not.toContain('read Disaster');
      expect(abilities.opens(TENANT, role('admin', null))).not.toEqual(expect.arrayContaining(['read Case']));
      expect(abilities.opens(TENANT, role('admin', null))).not.toContain('read Staff');
    });

    it('gives the register only to the department that keeps it', () => {
      expect(abilities.opens(TENANT, role('counselor', 'kikaku'))).not.toContain('read Roster');
      expect(abilities.opens(TENANT, role('manager', 'fukushi', { responsibilities: ['register'] }))).toContain('read Roster');
    });
  });
});
