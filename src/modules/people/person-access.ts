import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound, type Localized } from '../../platform/http/app-error';
import type { Action, SubjectType } from '../access/ability.factory';
import { AccessDeniedError } from '../access/access-denied.error';
import type { RequestAuth } from '../access/request-auth';
import { staffDepartments } from '../directory/domain/principal';
import type { PersonField } from '../referrals/domain/shared-package';
import { PersonSchema, type Person } from './domain/person.entity';
import type { HoldingBasis, PersonHoldings } from './person-holdings';

export const NO_SUCH_PERSON = { ja: '該当する人が見つかりません。', en: 'No such person.' };

/** What of a person a department acts on: the record itself, their consents, the disclosures made of them. */
export type PersonSubject = Extract<SubjectType, 'Person' | 'PersonConsent' | 'PersonDisclosure'>;

/** The caller's departments the ability lets act on people held there (see AbilityFactory.people). */
export function departmentsActingOnPeople(auth: RequestAuth, action: Action, on: PersonSubject = 'Person'): string[] {
  const tenantId = auth.principal.tenantId;
  return staffDepartments(auth.principal).filter((departmentId) => auth.ability.can(action, subject(on, { tenantId, departmentId })));
}

export interface HeldPerson {
  person: Person;
  /** The caller's departments (allowed the action) that hold the person. */
  departmentIds: string[];
  /** Each field they hold, with the first basis. */
  fields: Map<PersonField, HoldingBasis>;
  /** Whether one of them collected the record (it then holds the 宛名番号 too). */
  collected: boolean;
}

/**
 * A person the caller's departments hold, for `action`. Unknown ids, other tenants' (invisible under
 * RLS) and people no such department holds all answer 404 alike; the last is audited as denied.
 * `on`: what of the person is acted on (the ability decides per subject which departments may).
 */
export async function loadHeldPerson(em: EntityManager, auth: RequestAuth, holdings: PersonHoldings, personId: string, action: Action, on: PersonSubject = 'Person'): Promise<HeldPerson> {
  const person = await em.findOne(PersonSchema, { id: personId });
  if (!person) throw notFound(NO_SUCH_PERSON);
  const acting = departmentsActingOnPeople(auth, action, on);
  const fields = new Map<PersonField, HoldingBasis>();
  const departmentIds: string[] = [];
  for (const departmentId of acting) {
    const held = (await holdings.of(em, [departmentId], [personId])).get(personId)!;
    if (!held.size) continue;
    departmentIds.push(departmentId);
    for (const [field, basis] of held) if (!fields.has(field) || basis === 'collected') fields.set(field, basis);
  }
  if (!departmentIds.length) {
    throw new AccessDeniedError(auth.audit, { action: `person.${action}`, subjectType: 'Person', subjectId: personId, personId, detail: { departmentIds: acting } }, { hide: true, why: NO_SUCH_PERSON });
  }
  return { person, departmentIds, fields, collected: departmentIds.includes(person.collectedByDepartmentId ?? '') };
}

/**
 * The caller's departments, allowed to merge, that hold this record for any purpose (a register person
 * counts for the register's keepers); a record none holds answers 404, audited as `action` denied.
 */
export async function departmentsHoldingForMerge(em: EntityManager, auth: RequestAuth, holdings: PersonHoldings, personId: string, action: string, subject: { type: string; id: string }, why: Localized): Promise<string[]> {
  const acting = departmentsActingOnPeople(auth, 'merge');
  const holding: string[] = [];
  for (const departmentId of acting) if (await holdings.anyHeld(em, [departmentId], personId, 'register')) holding.push(departmentId);
  if (!holding.length) {
    throw new AccessDeniedError(auth.audit, { action, subjectType: subject.type, subjectId: subject.id, personId, detail: { departmentIds: acting } }, { hide: true, why });
  }
  return holding;
}
