import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { assertVersion, transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import { writeVersionedChange } from '../../../../platform/workflow/versioned-write';
import { AuditLog } from '../../../audit/audit-log.service';
import { loadCaseToMove } from '../../case-summary';
import { CASE_EVENTS } from '../../domain/case-events';
import { caseMachine } from '../../domain/case.machine';
import { CASE_ACTIONS } from '../../domain/case.schemas';
import { ActOnCaseCommand } from './act-on-case.command';

/** The reason columns an event writes: a closure or a suspension says why; reopening clears both. */
const REASON_COLUMNS: Record<string, (reason: string) => Record<string, string | null>> = {
  CLOSE: (reason) => ({ closure_reason: reason }),
  SUSPEND: (reason) => ({ suspension_reason: reason }),
  REOPEN: () => ({ closure_reason: null, suspension_reason: null }),
};

/**
 * The hot path of case work: two round trips inside the transaction, one to read the case with what
 * the machine decides on, one to write the move, its event and its audit row together.
 */
@CommandHandler(ActOnCaseCommand)
export class ActOnCaseHandler implements ICommandHandler<ActOnCaseCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
  ) {}

  execute({ auth, caseId, action, expectedVersion, reason }: ActOnCaseCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      // Access first: a transition is never evaluated on a record the caller cannot act on.
      const target = await loadCaseToMove(em, auth, caseId);
      const { found, openReferrals } = target;
      assertVersion(found, expectedVersion);
      const event = { type: CASE_ACTIONS[action], reason: reason ?? '' };
      const from = found.state;
      const to = transitionOrRefuse(caseMachine, from, { openReferrals }, event);
      const version = await writeVersionedChange(
        em,
        { table: 'cases', id: found.id, expectedVersion, set: { state: to, updated_at: new Date(), ...REASON_COLUMNS[event.type]?.(event.reason) } },
        [
          this.events.row(auth.audit, {
            aggregateType: 'Case',
            aggregateId: found.id,
            aggregateVersion: expectedVersion + 1,
            caseId: found.id,
            type: CASE_EVENTS[event.type],
            payload: { from, to, ...(reason ? { reason } : {}) },
          }),
          this.audit.row(em, auth.audit, { action: `case.${action}`, subjectType: 'Case', subjectId: found.id, outcome: 'allowed', detail: { from, to, version: expectedVersion + 1 } }),
        ],
      );
      return target.summary({ ...found, state: to, version });
    });
  }
}
