import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { z } from 'zod';
import { decodeCheckedKey, Keyset } from '../../../platform/http/api-contract/paging';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { PERSON_FIELD_GROUPS, type PersonField } from '../../referrals/domain/shared-package';
import { AuditedPersonReader } from '../audited-person-reader';
import { PersonSchema } from '../domain/person.entity';
import { dvProtectorsSql } from '../domain/dv-measure.entity';
import type { FindPeopleInput } from '../domain/people.schemas';
import { departmentsActingOnPeople } from '../person-access';
import { PersonHoldings } from '../person-holdings';
import { heldPersonViews } from '../person-view';

/** What a search answers with: who the person is and how to reach them, never 要配慮個人情報. */
const SEARCH_FIELDS: PersonField[] = [...PERSON_FIELD_GROUPS.basic, ...PERSON_FIELD_GROUPS.contact];

type Page = { items: Awaited<ReturnType<typeof heldPersonViews>>; next: string | null };

export class FindPeopleQuery extends Query<Page> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: FindPeopleInput,
  ) {
    super();
  }
}

/**
 * Newest first. The key is the creation instant in microseconds, as stored (rows written by SQL keep
 * them, a millisecond Date would not round-trip), and the id — no personal data in a cursor.
 */
const PEOPLE_ORDER = new Keyset<{ at: string; id: string }>('people', { at: 'p.created_at', id: 'p.id' });
const PEOPLE_KEY = z.tuple([z.string().regex(/^\d{1,18}$/), z.uuid()]);

/**
 * Finds people among those the caller's departments hold — the holdings are joined in SQL, and each term
 * matches only on a field held (a birth date never matches where only the name was disclosed). Address
 * and phone never match a DV-protected person for anyone but the protectors, as presentPerson withholds them.
 */
@QueryHandler(FindPeopleQuery)
export class FindPeopleHandler implements IQueryHandler<FindPeopleQuery> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly reader: AuditedPersonReader,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, input }: FindPeopleQuery) {
    const after = decodeCheckedKey(PEOPLE_ORDER, input.cursor, PEOPLE_KEY);
    const departmentIds = departmentsActingOnPeople(auth, 'read');
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const terms = { q: input.q, birthDate: input.birthDate, residentNumber: input.residentNumber, phone: input.phone, address: input.address };
      let rows: { id: string; at: string }[] = [];
      if (departmentIds.length) {
        const term = (value: string | undefined) => value ?? null;
        // With a name, birth date or 宛名番号, the persons that could match are found first (the name by
        // the trigram index on search_name: a superset of the per-field match below), and only their
        // holdings are read; without one, every person the departments hold is a candidate. The RLS of
        // persons p below still applies: person_name_candidates only narrows within the tenant.
        const narrowed = input.q !== undefined || input.birthDate !== undefined || input.residentNumber !== undefined;
        const held = this.holdings.heldSql(departmentIds, narrowed ? 'candidates' : undefined);
        const candidates = !narrowed
          ? ''
          : `candidates as materialized (
               select p.id from ${input.q !== undefined ? 'person_name_candidates(person_search_key(?)) n join persons p on p.id = n.id' : 'persons p'}
                where (?::date is null or p.birth_date = ?::date) and (?::text is null or p.resident_number = ?)),`;
        rows = await em.execute(
          `with ${candidates} ${held.sql}
           select p.id, (extract(epoch from p.created_at) * 1000000)::bigint::text as at from persons p join held h on h.person_id = p.id,
                  lateral (select ${dvProtectorsSql('p.id')} as protectors) v,
                  lateral (select v.protectors is null or ?::uuid = any(v.protectors) as contact_shown) c
            where (?::text is null
                   or ('name' = any(h.fields) and strpos(split_part(p.search_name, '|', 1), person_search_key(?)) > 0)
                   or ('kana' = any(h.fields) and strpos(split_part(p.search_name, '|', 2), person_search_key(?)) > 0))
              and (?::date is null or ('birthDate' = any(h.fields) and p.birth_date = ?::date))
              and (?::text is null or (h.collected and p.resident_number = ?))
              and (?::text is null or ('phone' = any(h.fields) and c.contact_shown
                   and strpos(regexp_replace(coalesce(p.phone, ''), '\\D', '', 'g'), nullif(regexp_replace(?, '\\D', '', 'g'), '')) > 0))
              and (?::text is null or ('address' = any(h.fields) and c.contact_shown and strpos(person_search_key(p.address), person_search_key(?)) > 0))
              and (?::bigint is null or (p.created_at, p.id) < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid))
            order by p.created_at desc, p.id desc
            limit ?`,
          [
            ...(input.q !== undefined ? [input.q] : []),
            ...(narrowed ? [term(input.birthDate), term(input.birthDate), term(input.residentNumber), term(input.residentNumber)] : []),
            ...held.params,
            auth.principal.id,
            term(input.q), term(input.q), term(input.q),
            term(input.birthDate), term(input.birthDate),
            term(input.residentNumber), term(input.residentNumber),
            term(input.phone), term(input.phone),
            term(input.address), term(input.address),
            after?.[0] ?? null, after?.[0] ?? null, after?.[1] ?? null,
            input.limit + 1,
          ],
        );
      }
      const page = rows.slice(0, input.limit);
      const found = new Map((await em.find(PersonSchema, { id: { $in: page.map((r) => r.id) } })).map((p) => [p.id, p]));
      const people = page.map((r) => found.get(r.id)!);
      const items = await heldPersonViews(em, auth, this.reader, people, departmentIds, SEARCH_FIELDS, { action: 'person.search-result', subjectType: 'Person' });
      // Last before commit: the audit append holds the tenant's chain lock until the transaction ends.
      await this.audit.append(em, auth.audit, {
        action: 'person.search',
        subjectType: 'Person',
        outcome: 'allowed',
        detail: { terms: Object.fromEntries(Object.entries(terms).filter(([, v]) => v !== undefined)), departmentIds, results: items.length, after: after?.[1] ?? null },
      });
      const last = page.at(-1);
      return { items, next: rows.length > input.limit && last ? PEOPLE_ORDER.encode(last) : null };
    });
  }
}
