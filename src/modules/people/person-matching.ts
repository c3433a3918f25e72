import type { EntityManager } from '@mikro-orm/postgresql';
import type { PersonTerms } from './domain/people.schemas';
import { dvProtectorsSql } from './domain/dv-measure.entity';

/**
 * The standing records a person's terms name — exact name or kana (normalised) with the birth date, or the
 * 宛名番号 — whoever holds them: the intake check's rule, and how a 情報照会 names a person its department does
 * not hold. A merged duplicate still matches by its name or number, and answers as the record it became.
 */
export async function matchingPersons(em: EntityManager, terms: PersonTerms): Promise<{ id: string; dv_protected: boolean }[]> {
  const name = terms.familyName !== undefined ? `${terms.familyName}${terms.givenName}` : null;
  return em.execute<{ id: string; dv_protected: boolean }[]>(
    `select id, ${dvProtectorsSql('id')} is not null as dv_protected
       from (select distinct coalesce(p.merged_into_id, p.id) as id from persons p
              where (?::text is not null and p.resident_number = ?)
                 or (?::text is not null and p.birth_date = ?::date
                     and person_search_key(?) in (split_part(p.search_name, '|', 1), split_part(p.search_name, '|', 2)))) standing`,
    [terms.residentNumber ?? null, terms.residentNumber ?? null, name, terms.birthDate ?? null, name],
  );
}
