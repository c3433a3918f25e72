import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fieldError } from '../../platform/http/app-error';
import type { RequestAuth } from '../access/request-auth';
import { PersonSchema, type Person } from '../people/domain/person.entity';
import { DvMeasures } from '../people/dv-measures';
import { PersonHoldings } from '../people/person-holdings';
import type { CasePersonInput } from './domain/case.schemas';

const DV_AT_INTAKE = '受付時の申請（DV等支援措置）';

/**
 * The people a case names, as its lead department may name them: a known person by id, a new person
 * (collected by the lead department), or a new one whose 宛名番号 is already on file — then that record,
 * linked instead of a second one, on the same rule as naming them by id (PersonHoldings.knownTo).
 */
@Injectable()
export class CasePeople {
  constructor(
    private readonly holdings: PersonHoldings,
    private readonly measures: DvMeasures,
  ) {}

  async resolve(em: EntityManager, auth: RequestAuth, entries: CasePersonInput[], householdId: string | null, leadDepartmentId: string, field: (index: number) => string) {
    const result: { person: Person; relation: string }[] = [];
    const protect: { person: Person; protectorIds: string[]; coversHousehold: boolean; field: string }[] = [];
    // A known person named as a member of this household joins it, unless recorded in another: a
    // household-covering DV等支援措置 then protects them too (person_dv_protectors reads household_id).
    const known = (person: Person, relation: string) => {
      if (householdId && !person.householdId) person.householdId = householdId;
      result.push({ person, relation });
    };
    for (const [index, entry] of entries.entries()) {
      if ('personId' in entry) {
        known(await this.holdings.knownTo(em, auth, [leadDepartmentId], entry.personId, `${field(index)}.personId`, 'case'), entry.relation);
        continue;
      }
      const onFile = await this.holdings.onFile(em, auth, [leadDepartmentId], entry.residentNumber, `${field(index)}.residentNumber`, 'case');
      if (onFile) {
        known(onFile, entry.relation);
        continue;
      }
      const { relation, sensitive, dvProtected, dvProtectorIds, dvCoversHousehold, ...details } = entry;
      const person = em.create(PersonSchema, { ...details, tenantId: auth.principal.tenantId, householdId, collectedByDepartmentId: leadDepartmentId, sensitive: sensitive ?? {} });
      if (dvProtected) protect.push({ person, protectorIds: dvProtectorIds ?? [], coversHousehold: dvCoversHousehold ?? false, field: field(index) });
      result.push({ person, relation });
    }
    const twice = result.findIndex((r, i) => result.findIndex((other) => other.person.id === r.person.id) !== i);
    if (twice >= 0) throw fieldError(field(twice), 'duplicate_person', { ja: '同じ人が2回指定されています。', en: 'The same person is named twice.' });
    await em.flush();
    // DV等支援措置 asked for at intake: a measure requested by the opening counselor, protecting at once,
    // waiting for the manager's approval like any other (DvMeasures.open).
    for (const { person, protectorIds, coversHousehold, field: at } of protect) {
      const input = { personId: person.id, departmentId: leadDepartmentId, reason: DV_AT_INTAKE, coversHousehold, protectorIds };
      await this.measures.open(em, auth, input, (name) => `${at}.${name === 'protectorIds' ? 'dvProtectorIds' : name === 'coversHousehold' ? 'dvCoversHousehold' : name}`);
    }
    return result;
  }
}
