import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fieldError } from '../../platform/http/app-error';
import type { RequestAuth } from '../access/request-auth';
import { StaffSchema } from '../directory/domain/staff.entity';
import { PersonSchema, type Person } from '../people/domain/person.entity';
import { PersonHoldings } from '../people/person-holdings';
import type { CasePersonInput } from './domain/case.schemas';

/**
 * The people a case names, as its lead department may name them: a known person by id, a new person
 * (collected by the lead department), or a new one whose 宛名番号 is already on file — then that record,
 * linked instead of a second one, on the same rule as naming them by id (PersonHoldings.knownTo).
 */
@Injectable()
export class CasePeople {
  constructor(private readonly holdings: PersonHoldings) {}

  async resolve(em: EntityManager, auth: RequestAuth, entries: CasePersonInput[], householdId: string | null, leadDepartmentId: string, field: (index: number) => string) {
    const result: { person: Person; relation: string }[] = [];
    for (const [index, entry] of entries.entries()) {
      if ('personId' in entry) {
        result.push({ person: await this.holdings.knownTo(em, auth, [leadDepartmentId], entry.personId, `${field(index)}.personId`, 'case'), relation: entry.relation });
        continue;
      }
      const onFile = await this.holdings.onFile(em, auth, [leadDepartmentId], entry.residentNumber, `${field(index)}.residentNumber`, 'case');
      if (onFile) {
        result.push({ person: onFile, relation: entry.relation });
        continue;
      }
      const protectors = entry.dvProtected ? [...new Set([auth.principal.id, ...(entry.dvProtectorIds ?? [])])] : [];
      if ((await em.count(StaffSchema, { id: { $in: protectors } })) !== protectors.length) {
        throw fieldError(`${field(index)}.dvProtectorIds`, 'unknown_staff', { ja: '支援措置の保護担当者が職員にいません。', en: 'A named protector is not a staff member.' });
      }
      const { relation, sensitive, dvProtected, dvProtectorIds: _named, ...details } = entry;
      const person = em.create(PersonSchema, {
        ...details,
        tenantId: auth.principal.tenantId,
        householdId,
        collectedByDepartmentId: leadDepartmentId,
        sensitive: sensitive ?? {},
        dvProtected: dvProtected ?? false,
        dvProtectorIds: protectors,
      });
      result.push({ person, relation });
    }
    const twice = result.findIndex((r, i) => result.findIndex((other) => other.person.id === r.person.id) !== i);
    if (twice >= 0) throw fieldError(field(twice), 'duplicate_person', { ja: '同じ人が2回指定されています。', en: 'The same person is named twice.' });
    await em.flush();
    return result;
  }
}
