import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestAuth } from '../access/request-auth';
import { AuditLog } from '../audit/audit-log.service';
import type { AuditEntry } from '../audit/domain/audit-entry';
import type { LegalBasis } from '../audit/domain/legal-basis';
import type { PersonField, SharedPackage } from '../referrals/domain/shared-package';
import { PersonSchema, type Person } from './domain/person.entity';
import { PersonHoldings, type HoldingBasis } from './person-holdings';
import { personValues, presentPerson, type PersonValues } from './person-presenter';

type ReadEntry = Omit<AuditEntry, 'personId' | 'outcome'>;

/**
 * Every read of a person's data goes through here: the fields this reader may see, one audit row
 * per person (with the legal basis it rests on), and a denied row when a DV protection withheld contacts.
 * Live records are cut to what the reading department holds (PersonHoldings); a shared package is
 * itself the disclosure, frozen as it was sent.
 */
@Injectable()
export class AuditedPersonReader {
  constructor(
    private readonly audit: AuditLog,
    private readonly holdings: PersonHoldings,
  ) {}

  async read(em: EntityManager, auth: RequestAuth, person: Person, values: PersonValues, fields: readonly PersonField[], entry: ReadEntry) {
    const [view] = await this.readMany(em, auth, [{ person, values, fields, entry }]);
    return view;
  }

  /**
   * Several people read at once (a page of a list), each exactly as `read` reads one: the same views
   * and the same audit rows in the same order, appended in one statement instead of one per person.
   */
  async readMany(em: EntityManager, auth: RequestAuth, reads: readonly { person: Person; values: PersonValues; fields: readonly PersonField[]; entry: ReadEntry }[]) {
    const rows: AuditEntry[] = [];
    const views = reads.map(({ person, values, fields, entry }) => {
      const shown = presentPerson(person, values, auth.ability, fields);
      rows.push({ ...entry, personId: person.id, outcome: 'allowed', detail: { ...entry.detail, fields: Object.keys(shown.values) } });
      if (shown.contactWithheld) {
        rows.push({ action: 'person.read-contact', subjectType: 'Person', subjectId: person.id, personId: person.id, outcome: 'denied', legalBasis: entry.legalBasis ?? null, detail: { ...entry.detail, via: entry.action, reason: 'dv_protection' } });
      }
      const withheldFields = fields.filter((f) => !(f in shown.values));
      return { contactWithheld: shown.contactWithheld, withheldFields, ...shown.values };
    });
    await this.audit.appendMany(em, auth.audit, rows);
    return views;
  }

  /**
   * Live person records as the given departments hold them: of the `wanted` fields only those held,
   * each audited with the basis it is held on (collected: no disclosure basis; else the receipt's).
   */
  async readHeld(em: EntityManager, auth: RequestAuth, people: Person[], departmentIds: readonly string[], wanted: readonly PersonField[], entry: ReadEntry) {
    const held = await this.holdings.of(em, departmentIds, people.map((p) => p.id));
    const views = new Map<string, Awaited<ReturnType<AuditedPersonReader['read']>>>();
    for (const person of people) {
      const bases = held.get(person.id)!;
      const fields = wanted.filter((f) => bases.has(f));
      const heldOn = [...new Set(fields.map((f) => bases.get(f)!))];
      const disclosureBasis = heldOn.find((b): b is LegalBasis => b !== 'collected') ?? null;
      const view = await this.read(em, auth, person, personValues(person), fields, {
        ...entry,
        legalBasis: entry.legalBasis ?? (heldOn.includes('collected') ? null : disclosureBasis),
        detail: { ...entry.detail, heldOn: heldOn as HoldingBasis[] },
      });
      views.set(person.id, { ...view, withheldFields: wanted.filter((f) => !(f in view)) });
    }
    return views;
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
