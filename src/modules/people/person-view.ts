import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestAuth } from '../access/request-auth';
import type { AuditEntry } from '../audit/domain/audit-entry';
import type { PersonField } from '../referrals/domain/shared-package';
import { AuditedPersonReader } from './audited-person-reader';
import type { Person } from './domain/person.entity';

/**
 * People as the given departments hold them, through the audited reader: the fields held (withheld ones
 * listed), and the 宛名番号 to the department that collected the record — it came with the collection.
 */
export async function heldPersonViews(
  em: EntityManager,
  auth: RequestAuth,
  reader: AuditedPersonReader,
  people: Person[],
  departmentIds: string[],
  wanted: readonly PersonField[],
  entry: Omit<AuditEntry, 'personId' | 'outcome'>,
) {
  const views = await reader.readHeld(em, auth, people, departmentIds, wanted, entry);
  return people.map((person) => {
    const collected = departmentIds.includes(person.collectedByDepartmentId ?? '');
    const view = views.get(person.id)!;
    // Withheld fields are present as null: every answer has the same shape, `withheldFields` says why.
    const withheld = Object.fromEntries(view.withheldFields.map((f) => [f, null]));
    return { id: person.id, version: person.version, residentNumber: collected ? (person.residentNumber ?? null) : null, ...withheld, ...view };
  });
}
