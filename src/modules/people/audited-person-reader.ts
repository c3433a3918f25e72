import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestAuth } from '../access/request-auth';
import { AuditLog } from '../audit/audit-log.service';
import type { AuditEntry } from '../audit/domain/audit-entry';
import type { PersonField, SharedPackage } from '../referrals/domain/shared-package';
import { PersonSchema, type Person } from './domain/person.entity';
import { presentPerson, type PersonValues } from './person-presenter';

type ReadEntry = Omit<AuditEntry, 'personId' | 'outcome'>;

/**
 * Every read of a person's data goes through here: the fields this reader may see, one audit row
 * per person (with the legal basis it rests on), and a denied row when a DV protection withheld contacts.
 */
@Injectable()
export class AuditedPersonReader {
  constructor(private readonly audit: AuditLog) {}

  async read(em: EntityManager, auth: RequestAuth, person: Person, values: PersonValues, fields: readonly PersonField[], entry: ReadEntry) {
    const shown = presentPerson(person, values, auth.ability, fields);
    await this.audit.append(em, auth.audit, { ...entry, personId: person.id, outcome: 'allowed', detail: { ...entry.detail, fields: Object.keys(shown.values) } });
    if (shown.contactWithheld) {
      await this.audit.append(em, auth.audit, { action: 'person.read-contact', subjectType: 'Person', subjectId: person.id, personId: person.id, outcome: 'denied', detail: { ...entry.detail, reason: 'dv_protection' } });
    }
    return { contactWithheld: shown.contactWithheld, ...shown.values };
  }

  /** The persons of a shared package, as frozen when shared; the DV flag is read as it is now. */
  async readShared(em: EntityManager, auth: RequestAuth, shared: SharedPackage['persons'], entry: ReadEntry) {
    const current = new Map((await em.find(PersonSchema, { id: { $in: shared.map((p) => p.personId) } })).map((p) => [p.id, p]));
    const persons = [];
    for (const item of shared) {
      persons.push({ personId: item.personId, relation: item.relation, ...(await this.read(em, auth, current.get(item.personId)!, item.values, item.fields, entry)) });
    }
    return persons;
  }
}
