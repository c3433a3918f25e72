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
  caseGrants: [],
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

  it('lets only a manager of the sending department approve or return a 要配慮 share (APPI_SPECIAL); the receiver sees nothing before', () => {
    const referral = (state: string) => subject('Referral', { tenantId: TENANT, fromDepartmentId: 'choju', toDepartmentId: 'kenko', state });
    const decides = (principal: Principal) => abilities.for(principal).can('shareSpecial', referral('awaiting_approval'));
    expect([staff(['manager', 'choju']), staff(['manager', 'kenko']), staff(['counselor', 'choju']), staff(['admin', null])].map(decides)).toEqual([true, false, false, false]);
    const receiver = abilities.for(staff(['counselor', 'kenko']));
    expect(['awaiting_approval', 'returned', 'proposed'].map((state) => receiver.can('read', referral(state)))).toEqual([false, false, true]);
  });

  describe('access grants (監査のための閲覧特例)', () => {
    const grants = [
      { grantId: 'g1', caseId: 'c1', includeSensitive: false },
      { grantId: 'g2', caseId: 'c2', includeSensitive: true },
    ];
    const auditor = { ...staff(['auditor', null]), caseGrants: grants } as Principal;
    const kase = (id: string, tenantId = TENANT) => subject('Case', { id, tenantId, leadDepartmentId: 'choju' });

    it('lets an auditor read exactly the granted cases, sensitive fields only where approved, and change nothing', () => {
      const ability = abilities.for(auditor);
      expect(['c1', 'c2', 'c3'].map((id) => ability.can('read', kase(id)))).toEqual([true, true, false]);
      expect(['c1', 'c2'].map((id) => ability.can('readSensitive', kase(id)))).toEqual([false, true]);
      expect(ability.can('read', kase('c1', 'tenant-b'))).toBe(false);
      for (const action of ['update', 'refer', 'escalate'] as const) expect(ability.can(action, kase('c1'))).toBe(false);
      expect(ability.can('shareSpecial', subject('Referral', { tenantId: TENANT, fromDepartmentId: 'choju' }))).toBe(false);
      expect(ability.can('readContact', subject('Person', { tenantId: TENANT, dvProtected: true, dvProtectorIds: [] }))).toBe(false);
      expect(accessibleWhere(ability, 'read', 'Case')).toEqual({ $or: [{ tenantId: TENANT, id: { $in: ['c1', 'c2'] } }] });
    });

    it('gives an auditor without a grant a rule that matches no case, and ignores grants of someone no longer an auditor', () => {
      expect(abilities.for(staff(['auditor', null])).can('read', kase('c1'))).toBe(false);
      expect(accessibleWhere(abilities.for(staff(['auditor', null])), 'read', 'Case')).toEqual({ $or: [{ tenantId: TENANT, id: { $in: [] } }] });
      expect(abilities.for({ ...staff(['counselor', 'kenko']), caseGrants: grants } as Principal).can('read', kase('c1'))).toBe(false);
    });

    it('shows auditors who met on which cases, never the minutes or decisions', () => {
      const meeting = subject('Meeting', { tenantId: TENANT, memberStaffIds: [], accessUntil: '2099-01-01' });
      const asAuditor = abilities.for(auditor);
      expect(['kind', 'heldOn', 'members', 'cases', 'minutes', 'decisions', 'title'].map((field) => asAuditor.can('read', meeting, field))).toEqual([true, true, true, true, false, false, false]);
    });

    it('lets an administrator decide requests of others only and end live grants; the requester withdraws or ends their own', () => {
      const admin = abilities.for(staff(['admin', null]));
      const own = subject('AccessGrant', { tenantId: TENANT, requestedBy: 's1', state: 'requested' });
      const others = subject('AccessGrant', { tenantId: TENANT, requestedBy: 's2', state: 'requested' });
      const othersLive = subject('AccessGrant', { tenantId: TENANT, requestedBy: 's2', state: 'granted' });
      expect([admin.can('decide', own), admin.can('decide', others), admin.can('revoke', others), admin.can('revoke', othersLive)]).toEqual([false, true, false, true]);
      const asAuditor = abilities.for(auditor);
      expect([asAuditor.can('decide', others), asAuditor.can('revoke', own), asAuditor.can('revoke', others), asAuditor.can('read', others)]).toEqual([false, true, false, true]);
      expect(abilities.for(staff(['manager', 'choju'])).can('read', others)).toBe(false);
    });
  });
});
