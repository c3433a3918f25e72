import { subject } from '@casl/ability';
import type { Principal } from '../directory/domain/principal';
import type { Role } from '../directory/domain/staff.entity';
import type { SupporterOrganizationType } from '../directory/domain/supporter.entity';
import { AbilityFactory } from './ability.factory';

const TENANT = 'tenant-a';
const abilities = new AbilityFactory();
const staff = (role: Role, departmentId: string | null): Principal => ({
  kind: 'staff',
  id: `${role}-${departmentId}`,
  tenantId: TENANT,
  displayName: role,
  roles: [{ role, departmentId, departmentCode: departmentId }],
  caseGrants: [],
});
const supporter = (organizationType: SupporterOrganizationType): Principal => ({ kind: 'supporter', id: organizationType, tenantId: TENANT, displayName: organizationType, organizationType, districtCodes: ['A'] });
const resource = (ownerDepartmentId: string) => subject('ParticipationResource', { tenantId: TENANT, ownerDepartmentId });
const volunteer = (contactConsent: boolean) => subject('Volunteer', { tenantId: TENANT, ownerDepartmentId: 'choju', contactConsent });

describe('AbilityFactory: 参加支援', () => {
  it.each([
    ['a counselor of the owner department', staff('counselor', 'choju'), true, true],
    ['a manager of the owner department', staff('manager', 'choju'), true, true],
    ['a counselor of another department', staff('counselor', 'fukushi'), true, false],
    ['社会福祉協議会 staff', supporter('shakyo'), true, true],
    ['a 民生委員', supporter('minsei_iin'), false, false],
    ['an administrator', staff('admin', null), false, false],
    ['an auditor', staff('auditor', null), false, false],
  ])('the directory, as %s: who reads and who edits', (_who, principal, reads, edits) => {
    const ability = abilities.for(principal);
    expect(ability.can('read', resource('choju'))).toBe(reads);
    expect(ability.can('update', resource('choju'))).toBe(edits);
  });

  it.each([
    ['a counselor of any department', staff('counselor', 'fukushi'), true],
    ['a coordinator', staff('coordinator', 'chiiki-kyosei'), true],
    ['社会福祉協議会 staff', supporter('shakyo'), true],
    ['a manager', staff('manager', 'choju'), false],
    ['a 民生委員', supporter('minsei_iin'), false],
  ])("a volunteer's contact, as %s: read only with consent to be contacted, and only by those who work with people", (_who, principal, withConsent) => {
    const ability = abilities.for(principal);
    expect(ability.can('readContact', volunteer(true))).toBe(withConsent);
    expect(ability.can('readContact', volunteer(false))).toBe(false);
  });

  it('connections belong to the connecting department: its counselors act, its manager reads', () => {
    const connection = subject('ParticipationConnection', { tenantId: TENANT, departmentId: 'choju' });
    expect(abilities.for(staff('counselor', 'choju')).can('update', connection)).toBe(true);
    expect(abilities.for(staff('manager', 'choju')).can('read', connection)).toBe(true);
    expect(abilities.for(staff('manager', 'choju')).can('update', connection)).toBe(false);
    expect(abilities.for(staff('counselor', 'fukushi')).can('read', connection)).toBe(false);
  });

  it.each([
    ['a counselor of the department', staff('counselor', 'choju'), true, true],
    ['a coordinator of the department', staff('coordinator', 'choju'), true, true],
    ['its manager', staff('manager', 'choju'), true, false],
    ['a counselor of another department', staff('counselor', 'fukushi'), false, false],
    ['an administrator', staff('admin', null), false, false],
    ['社会福祉協議会 staff', supporter('shakyo'), false, false],
  ])("a window visit (相談窓口の利用) is the receiving department's, as %s: reads, records", (_who, principal, reads, records) => {
    const visit = subject('WindowVisit', { tenantId: TENANT, departmentId: 'choju' });
    expect(abilities.for(principal).can('read', visit)).toBe(reads);
    expect(abilities.for(principal).can('create', visit)).toBe(records);
  });
});
