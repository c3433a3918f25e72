import type { Principal, RoleInDepartment } from '../directory/domain/principal';
import { AbilityFactory } from '../access/ability.factory';
import type { RequestAuth } from '../access/request-auth';
import type { RegisterEntry } from './domain/register.entity';
import type { RegisterState } from './domain/register.machine';
import { allowedEntryActions } from './register-entry-view';

const TENANT = 'tenant-a';
const abilities = new AbilityFactory();
const as = (role: RoleInDepartment): RequestAuth => {
  const principal: Principal = { kind: 'staff', id: 's1', tenantId: TENANT, displayName: 's1', roles: [role], caseGrants: [] };
  return { principal, ability: abilities.for(principal), audit: {} as RequestAuth['audit'] };
};
const keeper = as({ role: 'counselor', departmentId: 'fukushi', departmentCode: 'fukushi', responsibilities: ['register'] });
const otherWindow = as({ role: 'counselor', departmentId: 'kikaku', departmentCode: 'kikaku' });
const entry = (state: RegisterState, tenantId = TENANT) => ({ id: 'e1', tenantId, personId: 'p1', state, districtCode: 'A' }) as unknown as RegisterEntry;

describe('allowedEntryActions: the buttons the console draws for a register entry', () => {
  it.each([
    ['candidate', ['send-notice', 'register', 'remove']],
    ['notice_sent', ['mark-mailed', 'register', 'decline', 'remove']],
    ['awaiting_answer', ['register', 'decline', 'remove']],
    ['registered', ['send-renewal', 'remove', 'save-plan']],
    ['renewal_notice_sent', ['renew', 'remove', 'save-plan']],
    ['declined', []],
    ['removed', []],
  ] as [RegisterState, string[]][])("to the register's keeper, an entry %s offers %j", (state, expected) => {
    expect(allowedEntryActions(keeper, entry(state))).toEqual(expected);
  });

  it('offers another otherWindow only the plan (any otherWindow may make one), and another tenant nothing', () => {
    expect(allowedEntryActions(otherWindow, entry('awaiting_answer'))).toEqual([]);
    expect(allowedEntryActions(otherWindow, entry('registered'))).toEqual(['save-plan']);
    expect(allowedEntryActions(keeper, entry('registered', 'tenant-b'))).toEqual([]);
  });
});
