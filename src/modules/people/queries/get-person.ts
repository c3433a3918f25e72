import { subject } from '@casl/ability';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { CONTACT_FIELDS, type PersonField } from '../../referrals/domain/shared-package';
import { AuditedPersonReader } from '../audited-person-reader';
import { PersonChangeSchema } from '../domain/person-change.entity';
import { loadHeldPerson } from '../person-access';
import { PersonHoldings } from '../person-holdings';
import { OWN_CASE_FIELDS } from '../person-presenter';
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

export class PersonHistoryQuery extends Query<Record<string, unknown>[]> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
  ) {
    super();
  }
}

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

  execute({ auth, personId }: PersonHistoryQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { person, fields, collected } = await loadHeldPerson(em, auth, this.holdings, personId, 'read');
      const mayReadContact = auth.ability.can('readContact', subject('Person', { tenantId: person.tenantId, dvProtected: person.dvProtected, dvProtectorIds: person.dvProtectorIds }));
      const shown = (field: string) =>
        field === 'residentNumber' ? collected : fields.has(field as PersonField) && (mayReadContact || !CONTACT_FIELDS.includes(field as PersonField));
      const changes = (await em.find(PersonChangeSchema, { personId }, { orderBy: { changedAt: 'asc', id: 'asc' } })).filter((c) => shown(c.field));
      await this.audit.append(em, auth.audit, {
        action: 'person.history',
        subjectType: 'Person',
        subjectId: personId,
        personId,
        outcome: 'allowed',
        detail: { fields: [...new Set(changes.map((c) => c.field))] },
      });
      return changes.map((c) => ({
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
