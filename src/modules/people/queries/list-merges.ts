import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { z } from 'zod';
import { Db } from '../../../platform/database/db';
import { decodeCheckedKey, Keyset } from '../../../platform/http/api-contract/paging';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import type { PersonPageInput } from '../domain/people.schemas';
import { PersonMergeSchema, type PersonMerge } from '../domain/person-merge.entity';
import { departmentsHoldingForMerge, NO_SUCH_PERSON } from '../person-access';
import { PersonHoldings } from '../person-holdings';
import { mergeView, type PersonMergeView } from '../person-merge-view';

export class ListMergesQuery extends Query<{ items: PersonMergeView[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly page: PersonPageInput,
  ) {
    super();
  }
}

/** Newest first. */
const MERGE_ORDER = new Keyset<PersonMerge>('person-merges', { createdAt: 'created_at', id: 'id' }, { desc: true });
const MERGE_KEY = z.tuple([z.iso.datetime(), z.uuid()]);

/**
 * The merges into a record (standing and undone), for the managers who may undo them: ids, who, why,
 * what moved — no person field. A record their departments do not hold answers 404 like an unknown one.
 */
@QueryHandler(ListMergesQuery)
export class ListMergesHandler implements IQueryHandler<ListMergesQuery> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, personId, page }: ListMergesQuery) {
    const after = decodeCheckedKey(MERGE_ORDER, page.cursor, MERGE_KEY);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await departmentsHoldingForMerge(em, auth, this.holdings, personId, 'person.merge-list', { type: 'Person', id: personId }, NO_SUCH_PERSON);
      const rows = await em.find(PersonMergeSchema, { $and: [{ survivingPersonId: personId }, MERGE_ORDER.after(after)] }, { orderBy: MERGE_ORDER.orderBy, limit: page.limit + 1 });
      const shown = rows.slice(0, page.limit);
      const moves = shown.length
        ? await em.execute<{ merge_id: string; reference: string }[]>(`select merge_id::text, reference from person_merge_moves where merge_id = any(?::uuid[])`, [`{${shown.map((m) => m.id).join(',')}}`])
        : [];
      await this.audit.append(em, auth.audit, { action: 'person.merge-list', subjectType: 'Person', subjectId: personId, personId, outcome: 'allowed', detail: { merges: shown.map((m) => m.id) } });
      return MERGE_ORDER.page(rows, page.limit, (m) => mergeView(m, moves.filter((move) => move.merge_id === m.id)));
    });
  }
}
