import { subject } from '@casl/ability';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { CONTACT_FIELDS, type PersonField } from '../../referrals/domain/shared-package';
import { AuditedPersonReader } from '../audited-person-reader';
import { z } from 'zod';
import { decodeCheckedKey, Keyset } from '../../../platform/http/api-contract/paging';
import { CORRECTABLE_FIELDS } from '../commands/correct-person/correct-person';
import { PersonChangeSchema, type PersonChange } from '../domain/person-change.entity';
import type { PersonHistoryInput } from '../domain/people.schemas';
import { loadHeldPerson } from '../person-access';
import { PersonHoldings } from '../person-holdings';
import { OWN_CASE_FIELDS } from '../person-presenter';
import { mayReadContact } from '../dv-protection';
import { heldPersonViews } from '../person-view';

export class GetPersonQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
  ) {
    super();
  }
}

/** A person as the caller's departments hold them: held fields only, through the audited reader. */
@QueryHandler(GetPersonQuery)
export class GetPersonHandler implements IQueryHandler<GetPersonQuery> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly reader: AuditedPersonReader,
  ) {}

  execute({ auth, personId }: GetPersonQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const held = await loadHeldPerson(em, auth, this.holdings, personId, 'read');
      const withSensitive = held.departmentIds.some((departmentId) => auth.ability.can('readSensitive', subject('Person', { tenantId: auth.principal.tenantId, departmentId })));
      const [view] = await heldPersonViews(em, auth, this.reader, [held.person], held.departmentIds, OWN_CASE_FIELDS(withSensitive), { action: 'person.read', subjectType: 'Person', subjectId: personId });
      return view;
    });
  }
}

export class PersonHistoryQuery extends Query<{ items: Record<string, unknown>[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly page: PersonHistoryInput,
  ) {
    super();
  }
}

/** Oldest first: a correction made while paging comes last. */
const HISTORY_ORDER = new Keyset<PersonChange>('person-history', { changedAt: 'changed_at', id: 'id' });
const HISTORY_KEY = z.tuple([z.iso.datetime(), z.uuid()]);

/**
 * The corrections of a person, field by field, of the fields the caller's departments hold; contact
 * fields of a DV-protected person only for the protectors (old values are the same data as current ones).
 */
@QueryHandler(PersonHistoryQuery)
export class PersonHistoryHandler implements IQueryHandler<PersonHistoryQuery> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, personId, page }: PersonHistoryQuery) {
    const after = decodeCheckedKey(HISTORY_ORDER, page.cursor, HISTORY_KEY);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { person, fields, collected } = await loadHeldPerson(em, auth, this.holdings, personId, 'read');
      const contactShown = mayReadContact(auth.ability, person);
      const shown = (field: string) =>
        field === 'residentNumber' ? collected : fields.has(field as PersonField) && (contactShown || !CONTACT_FIELDS.includes(field as PersonField));
      const visible = CORRECTABLE_FIELDS.filter(shown);
      const rows = await em.find(PersonChangeSchema, { $and: [{ personId, field: { $in: visible } }, HISTORY_ORDER.after(after)] }, { orderBy: HISTORY_ORDER.orderBy, limit: page.limit + 1 });
      const changes = rows.slice(0, page.limit);
      await this.audit.append(em, auth.audit, {
        action: 'person.history',
        subjectType: 'Person',
        subjectId: personId,
        personId,
        outcome: 'allowed',
        detail: { fields: [...new Set(changes.map((c) => c.field))] },
      });
      return HISTORY_ORDER.page(rows, page.limit, (c) => ({
        field: c.field,
        old: c.oldValue ?? null,
        new: c.newValue ?? null,
        reason: c.reason,
        version: c.personVersion,
        changedBy: c.changedBy,
        departmentId: c.departmentId,
        changedAt: c.changedAt,
      }));
    });
  }
}
