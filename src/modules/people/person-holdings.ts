import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessDeniedError } from '../access/access-denied.error';
import type { RequestAuth } from '../access/request-auth';
import type { LegalBasis } from '../audit/domain/legal-basis';
import { PersonSchema, type Person } from './domain/person.entity';
import { PERSON_FIELDS, type PersonField } from '../referrals/domain/shared-package';

/** The register's items (災対法49条の10②): what its keepers hold of everyone listed. */
export const REGISTER_PERSON_FIELDS: readonly PersonField[] = ['name', 'kana', 'birthDate', 'sex', 'address', 'phone'];

/** Why a department holds a field: it collected it for its own duties, or it was disclosed on a legal basis. */
export type HoldingBasis = 'collected' | LegalBasis;

export type HoldingPurpose = 'case' | 'register';

/** Per person, each field a department holds and the first basis it holds it on. */
export type Holdings = Map<string, Map<PersonField, HoldingBasis>>;

const NOT_HELD = {
  ja: '貴課が保有する人の中に、この人は見つかりません。保有する課へ情報照会するか、新しい人として登録してください。',
  en: 'No such person among those your department holds: ask the holding department for the data, or register them as a new person.',
};

/** A referral that was declined, withdrawn or expired never reached its receiver's work. */
const ENDED_REFERRAL_STATES = ['declined', 'withdrawn', 'expired'];

/**
 * THE rule for which receipts make a department hold what they list (`d`, joined as below): a receipt of
 * no referral or information request (a meeting's), of a referral still standing, or of an approved
 * information request (情報照会). Every query of holdings uses this one fragment.
 */
const STANDING_DISCLOSURES = `disclosures d
  left join referrals r on r.id = d.referral_id
  left join information_requests q on q.id = d.information_request_id`;
const DISCLOSURE_STANDS = `(r.id is null or r.state <> all('{${ENDED_REFERRAL_STATES.join(',')}}'::text[]))
  and (q.id is null or q.state = 'approved')`;

/**
 * 保有個人情報 — what a department holds of a person: exactly what it collected itself, plus what was
 * disclosed to it with a receipt (a standing referral's package, an approved 情報照会), plus the register's items when it keeps
 * the 避難行動要支援者名簿. Every read of person fields is cut to this; naming a person needs it.
 */
@Injectable()
export class PersonHoldings {
  /**
   * `purpose`: the register's items are held for the register (災対法49条の10③ lets it draw on everything
   * held); for case work they count for nothing, since using them there would be 目的外利用.
   */
  async of(em: EntityManager, departmentIds: readonly string[], personIds: readonly string[], purpose: HoldingPurpose = 'case'): Promise<Holdings> {
    const holdings: Holdings = new Map(personIds.map((id) => [id, new Map()]));
    if (!departmentIds.length || !personIds.length) return holdings;
    const [people, departments] = [literal(personIds), literal(departmentIds)];
    const rows = await em.execute<{ person_id: string; fields: string[] | null; basis: HoldingBasis }[]>(
      `select id as person_id, null::text[] as fields, 'collected' as basis, 0 as rank, created_at
         from persons where id = any(?::uuid[]) and collected_by_department_id = any(?::uuid[]) and merged_into_id is null
       union all
       select d.person_id, d.fields, d.legal_basis, 1, d.created_at
         from ${STANDING_DISCLOSURES}
        where d.person_id = any(?::uuid[]) and d.recipient_type = 'Department' and d.recipient_id = any(?::uuid[])
          and ${DISCLOSURE_STANDS}
       union all
       select distinct e.person_id, ?::text[], 'DMA_ROSTER_INTERNAL', 2, null::timestamptz
         from register_entries e join departments k on k.id = any(?::uuid[]) and 'register' = any(k.responsibilities)
        where e.person_id = any(?::uuid[]) and e.state <> 'removed' and ?::text = 'register'
       order by rank, created_at`,
      [people, departments, people, departments, literal(REGISTER_PERSON_FIELDS), departments, people, purpose],
    );
    for (const row of rows) {
      const held = holdings.get(row.person_id)!;
      for (const field of (row.fields ?? PERSON_FIELDS) as PersonField[]) if (!held.has(field)) held.set(field, row.basis);
    }
    return holdings;
  }

  /**
   * The same holdings for case work, as SQL for a query to join (`held(person_id, fields, collected)`):
   * lists are cut in the database, never by loading people and dropping some. Parameters in order.
   */
  heldSql(departmentIds: readonly string[], among?: string): { sql: string; params: string[] } {
    const departments = literal(departmentIds);
    // `among`: a relation of candidate person ids (column id), so only they are aggregated, not a department's every person.
    const only = (column: string) => (among ? `and ${column} in (select id from ${among})` : '');
    return {
      sql: `held as (
        select person_id, array_agg(distinct field) as fields, bool_or(collected) as collected from (
          select id as person_id, unnest(?::text[]) as field, true as collected from persons where collected_by_department_id = any(?::uuid[]) and merged_into_id is null ${only('id')}
          union all
          select d.person_id, unnest(d.fields), false from ${STANDING_DISCLOSURES}
           where d.person_id is not null and d.recipient_type = 'Department' and d.recipient_id = any(?::uuid[]) ${only('d.person_id')}
             and ${DISCLOSURE_STANDS}
        ) h group by person_id)`,
      params: [literal(PERSON_FIELDS), departments, departments],
    };
  }

  /**
   * Which departments hold each person, for any purpose: the one that collected it, those it was
   * disclosed to (standing), and the register's keepers while it is listed. A merged duplicate (a
   * tombstone) is held by nobody: its references moved to the survivor.
   */
  async holdersOf(em: EntityManager, personIds: readonly string[]): Promise<string[]> {
    if (!personIds.length) return [];
    const people = literal(personIds);
    const rows = await em.execute<{ department_id: string }[]>(
      `select collected_by_department_id as department_id from persons where id = any(?::uuid[]) and collected_by_department_id is not null and merged_into_id is null
       union
       select d.recipient_id from ${STANDING_DISCLOSURES}
        where d.person_id = any(?::uuid[]) and d.recipient_type = 'Department' and ${DISCLOSURE_STANDS}
       union
       select k.id from departments k join register_entries e on e.person_id = any(?::uuid[]) and e.state <> 'removed'
        where 'register' = any(k.responsibilities)`,
      [people, people, people],
    );
    return rows.map((r) => r.department_id);
  }

  /** Whether these departments hold the person at all (the rule `knownTo` enforces, without refusing). */
  async anyHeld(em: EntityManager, departmentIds: readonly string[], personId: string, purpose: HoldingPurpose): Promise<boolean> {
    return ((await this.of(em, departmentIds, [personId], purpose)).get(personId)?.size ?? 0) > 0;
  }

  /**
   * The person already on file under a 宛名番号, if any, on the same rule as naming them by id: linked
   * when these departments hold them, refused (404, audited) when not; null when the number is new.
   */
  async onFile(em: EntityManager, auth: RequestAuth, departmentIds: readonly string[], residentNumber: string | undefined, field: string, purpose: HoldingPurpose): Promise<Person | null> {
    const found = residentNumber ? await this.byResidentNumber(em, residentNumber) : null;
    return found && this.knownTo(em, auth, departmentIds, found.id, field, purpose);
  }

  /** The live record a 宛名番号 names: a merged duplicate keeps its number, which then names the survivor. */
  async byResidentNumber(em: EntityManager, residentNumber: string): Promise<Person | null> {
    let found = await em.findOne(PersonSchema, { residentNumber });
    while (found?.mergedIntoId) found = await em.findOne(PersonSchema, { id: found.mergedIntoId });
    return found;
  }

  /**
   * A person named by id in a new case or register entry: only one these departments already hold.
   * Unknown, another municipality's and not held answer alike (404 with one body, audited), so an id read
   * elsewhere opens nothing and reveals nothing; naming never widens what the department sees.
   */
  async knownTo(em: EntityManager, auth: RequestAuth, departmentIds: readonly string[], personId: string, field: string, purpose: HoldingPurpose): Promise<Person> {
    const person = await em.findOne(PersonSchema, { id: personId });
    const held = person && !person.mergedIntoId ? await this.anyHeld(em, departmentIds, personId, purpose) : false;
    if (person && held) return person;
    throw new AccessDeniedError(
      auth.audit,
      { action: 'person.attach', subjectType: 'Person', subjectId: personId, personId: person ? personId : null, detail: { field, departmentIds } },
      { hide: true, why: NOT_HELD },
    );
  }
}

/** A PostgreSQL array literal of plain tokens (ids, codes): the driver binds it as one parameter. */
function literal(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}
