import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import type { MergePersonInput } from '../../domain/people.schemas';
import { MERGE_UNDO_DAYS, PersonMergeSchema } from '../../domain/person-merge.entity';
import { PersonSchema, type Person } from '../../domain/person.entity';
import { departmentsHoldingForMerge, NO_SUCH_PERSON } from '../../person-access';
import { PersonHoldings } from '../../person-holdings';
import { mergeView, type PersonMergeView } from '../../person-merge-view';
import { moveReferences } from '../../person-references';

const INTO_ITSELF = { ja: '同じ人の記録どうしは統合できません。別の記録を指定してください。', en: 'A record cannot be merged into itself: name another record.' };
const HELD_APART = {
  ja: '両方の記録を保有する課が同じではありません。両方を保有する課の課長が統合してください。',
  en: 'No one department of yours holds both records: a manager of a department holding both must merge them.',
};
const BOTH_LISTED = {
  ja: '両方の記録が避難行動要支援者名簿に載っています。一方の名簿登録を削除してから統合してください。',
  en: 'Both records are on the evacuation register: remove one entry before merging.',
};

export class MergePersonCommand extends Command<PersonMergeView> {
  constructor(
    readonly auth: RequestAuth,
    readonly survivorId: string,
    readonly expectedVersion: number,
    readonly input: MergePersonInput,
  ) {
    super();
  }
}

/**
 * 名寄せ — a manager of a department holding both records declares them one person. The survivor keeps
 * its own values (filling its gaps from the duplicate would show one department's collection to every
 * holder of the survivor without a receipt); every reference of the duplicate moves to it, each move
 * kept for the undo; the duplicate stays as a tombstone nobody holds. The duplicate's DV等支援措置 move
 * with it (dv_measures is a reference), so they protect the survivor. One transaction, one event, audited under both ids.
 */
@CommandHandler(MergePersonCommand)
export class MergePersonHandler implements ICommandHandler<MergePersonCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, survivorId, expectedVersion, input }: MergePersonCommand) {
    if (survivorId === input.duplicateId) throw new AppError('guard_failed', { detail: INTO_ITSELF, meta: { guards: ['distinctRecords'] } });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { survivor, duplicate, departmentId } = await this.heldPair(em, auth, survivorId, input.duplicateId);
      assertVersion(survivor, expectedVersion);
      assertVersion(duplicate, input.duplicateVersion);
      const [{ listed }] = await em.execute<{ listed: number }[]>(`select count(*)::int as listed from register_entries where person_id in (?, ?)`, [survivor.id, duplicate.id]);
      if (listed > 1) throw new AppError('guard_failed', { detail: BOTH_LISTED, meta: { guards: ['notBothListed'] } });

      const now = new Date();
      const merge = em.create(PersonMergeSchema, {
        tenantId: survivor.tenantId,
        survivingPersonId: survivor.id,
        mergedPersonId: duplicate.id,
        departmentId,
        mergedBy: auth.principal.id,
        reason: input.reason,
        state: 'merged',
        undoUntil: new Date(now.getTime() + MERGE_UNDO_DAYS * 86_400_000),
        createdAt: now,
      });
      Object.assign(duplicate, { mergedIntoId: survivor.id, mergedAt: now });
      survivor.updatedAt = now;
      await em.flush();
      const moves = await moveReferences(em, duplicate.id, survivor.id);
      await em.execute(
        `insert into person_merge_moves (tenant_id, merge_id, reference, row_id, detail)
         select ?, ?, m->>'reference', m->>'rowId', m->'detail' from jsonb_array_elements(?::jsonb) m`,
        [merge.tenantId, merge.id, JSON.stringify(moves)],
      );
      const view = mergeView(merge, moves);
      this.events.append(em, auth.audit, {
        aggregateType: 'PersonMerge',
        aggregateId: merge.id,
        aggregateVersion: merge.version,
        caseId: null,
        type: 'PersonMerged',
        payload: { survivingPersonId: survivor.id, mergedPersonId: duplicate.id, departmentId, moved: view.moved },
      });
      await em.flush();
      const detail = { mergeId: merge.id, survivingPersonId: survivor.id, mergedPersonId: duplicate.id, departmentId, reason: input.reason, moved: view.moved };
      for (const personId of [survivor.id, duplicate.id]) {
        await this.audit.append(em, auth.audit, { action: 'person.merge', subjectType: 'PersonMerge', subjectId: merge.id, personId, outcome: 'allowed', detail });
      }
      return view;
    });
  }

  /**
   * Both records, held by one department whose manager the caller is. Unknown and other municipalities'
   * ids answer 404; a record the caller's departments do not hold (a tombstone among them) answers the
   * same 404, audited, so a merge attempt never reveals that a record exists.
   */
  private async heldPair(em: EntityManager, auth: RequestAuth, survivorId: string, duplicateId: string): Promise<{ survivor: Person; duplicate: Person; departmentId: string }> {
    const [survivor, duplicate] = await Promise.all([em.findOne(PersonSchema, { id: survivorId }), em.findOne(PersonSchema, { id: duplicateId })]);
    if (!survivor || !duplicate) throw notFound(NO_SUCH_PERSON);
    const subject = (id: string) => ({ type: 'Person', id });
    const holdingSurvivor = await departmentsHoldingForMerge(em, auth, this.holdings, survivor.id, 'person.merge', subject(survivor.id), NO_SUCH_PERSON);
    const holdingDuplicate = await departmentsHoldingForMerge(em, auth, this.holdings, duplicate.id, 'person.merge', subject(duplicate.id), NO_SUCH_PERSON);
    const departmentId = holdingSurvivor.find((d) => holdingDuplicate.includes(d));
    // Each held by a different department of the caller's: neither department alone may join them.
    if (!departmentId) throw new AppError('guard_failed', { detail: HELD_APART, meta: { guards: ['oneDepartmentHoldsBoth'] } });
    return { survivor, duplicate, departmentId };
  }
}
