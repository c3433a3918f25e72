import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import type { UndoMergeInput } from '../../domain/people.schemas';
import { MERGE_UNDO_DAYS, PersonMergeSchema } from '../../domain/person-merge.entity';
import { PersonSchema } from '../../domain/person.entity';
import { departmentsHoldingForMerge } from '../../person-access';
import { PersonHoldings } from '../../person-holdings';
import { mergeView, type PersonMergeView } from '../../person-merge-view';
import { restoreReferences, type Move } from '../../person-references';

export const NO_SUCH_MERGE = { ja: '該当する名寄せが見つかりません。', en: 'No such merge.' };
const PERIOD_OVER = {
  ja: `名寄せの取消期間（${MERGE_UNDO_DAYS}日）を過ぎています。`,
  en: `The ${MERGE_UNDO_DAYS}-day period for undoing this merge has passed.`,
};
const SURVIVOR_MERGED = {
  ja: '統合先の記録がその後さらに別の記録へ統合されています。後の名寄せを先に取り消してください。',
  en: 'The surviving record has since been merged into another: undo that later merge first.',
};

export class UndoMergeCommand extends Command<PersonMergeView> {
  constructor(
    readonly auth: RequestAuth,
    readonly mergeId: string,
    readonly expectedVersion: number,
    readonly input: UndoMergeInput,
  ) {
    super();
  }
}

/**
 * Undoing a 名寄せ within its period, by a manager of a department holding the survivor: exactly the
 * references that moved go back to the duplicate (those made to the survivor since stay), the tombstone
 * becomes a record again, and the survivor's DV等支援措置 is as it was. One transaction, audited.
 */
@CommandHandler(UndoMergeCommand)
export class UndoMergeHandler implements ICommandHandler<UndoMergeCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, mergeId, expectedVersion, input }: UndoMergeCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const merge = await em.findOne(PersonMergeSchema, { id: mergeId });
      if (!merge) throw notFound(NO_SUCH_MERGE);
      const survivor = await em.findOneOrFail(PersonSchema, { id: merge.survivingPersonId });
      // Held as the record the survivor is now: itself, or the one it was merged into since.
      let standing = survivor;
      while (standing.mergedIntoId) standing = await em.findOneOrFail(PersonSchema, { id: standing.mergedIntoId });
      await departmentsHoldingForMerge(em, auth, this.holdings, standing.id, 'person.merge-undo', { type: 'PersonMerge', id: merge.id }, NO_SUCH_MERGE);
      assertVersion(merge, expectedVersion);
      if (merge.state !== 'merged') throw new AppError('transition_not_allowed', { meta: { state: merge.state, action: 'undo' } });
      if (Date.now() > merge.undoUntil.getTime()) throw new AppError('guard_failed', { detail: PERIOD_OVER, meta: { guards: ['withinUndoPeriod'] } });
      if (survivor.mergedIntoId) throw new AppError('guard_failed', { detail: SURVIVOR_MERGED, meta: { guards: ['survivorStanding'] } });

      const moves = (await em.execute<{ reference: string; row_id: string; detail: Record<string, unknown> }[]>(
        `select reference, row_id, detail from person_merge_moves where merge_id = ? order by id`,
        [merge.id],
      )).map((m): Move => ({ reference: m.reference, rowId: m.row_id, detail: m.detail }));
      await restoreReferences(em, moves, merge.mergedPersonId, survivor.id);
      const duplicate = await em.findOneOrFail(PersonSchema, { id: merge.mergedPersonId });
      Object.assign(duplicate, { mergedIntoId: null, mergedAt: null });
      const now = new Date();
      survivor.updatedAt = now;
      Object.assign(merge, { state: 'undone', undoneBy: auth.principal.id, undoReason: input.reason, undoneAt: now });
      await em.flush();
      const view = mergeView(merge, moves);
      this.events.append(em, auth.audit, {
        aggregateType: 'PersonMerge',
        aggregateId: merge.id,
        aggregateVersion: merge.version,
        caseId: null,
        type: 'PersonMergeUndone',
        payload: { survivingPersonId: survivor.id, mergedPersonId: duplicate.id, restored: view.moved },
      });
      await em.flush();
      const detail = { mergeId: merge.id, survivingPersonId: survivor.id, mergedPersonId: duplicate.id, reason: input.reason, restored: view.moved };
      for (const personId of [survivor.id, duplicate.id]) {
        await this.audit.append(em, auth.audit, { action: 'person.merge-undo', subjectType: 'PersonMerge', subjectId: merge.id, personId, outcome: 'allowed', detail });
      }
      return view;
    });
  }
}
