import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { fieldError } from '../../../../platform/http/app-error';
import { assertVersion, transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import type { DvMeasure } from '../../domain/dv-measure.entity';
import { dvMeasureMachine, type DvMeasureState } from '../../domain/dv-measure.machine';
import { addToDate, DV_MEASURE_ACTIONS, DV_MEASURE_EVENTS, type DvMeasureAction, type DvMeasureActionBody } from '../../domain/dv-measure.schemas';
import { dvActionNeeds, dvMeasureView, loadDvMeasure, type DvMeasureView } from '../../dv-measure-view';
import { DvMeasures } from '../../dv-measures';

export class ActOnDvMeasureCommand extends Command<DvMeasureView> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly measureId: string,
    readonly action: DvMeasureAction,
    readonly expectedVersion: number,
    readonly body: DvMeasureActionBody,
  ) {
    super();
  }
}

/**
 * Extension and lift are asked for by the department's counselors; every request is approved or declined
 * by the department's manager, never by whoever asked (422, from the machine, before the role is even
 * considered: the two-person rule is the record's, whatever roles one holds). One transaction each.
 */
@CommandHandler(ActOnDvMeasureCommand)
export class ActOnDvMeasureHandler implements ICommandHandler<ActOnDvMeasureCommand> {
  constructor(
    private readonly db: Db,
    private readonly measures: DvMeasures,
  ) {}

  execute({ auth, personId, measureId, action, expectedVersion, body }: ActOnDvMeasureCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const measure = await loadDvMeasure(em, auth, personId, measureId);
      assertVersion(measure, expectedVersion);
      const type = DV_MEASURE_ACTIONS[action];
      const by = auth.principal.id;
      const reason = body.reason?.trim() ?? '';
      const from = measure.state;
      const to = transitionOrRefuse(dvMeasureMachine, from, { requestedBy: measure.pendingRequestedBy ?? null }, { type, by, reason });
      assertCan(auth, dvActionNeeds(action), 'DvMeasure', { ...measure }, { personId });
      const decided = measure.pendingRequest;
      const payload: Record<string, unknown> = { from, to, departmentId: measure.departmentId, ...(reason ? { reason } : {}) };
      if (type === 'REQUEST_EXTENSION') {
        const endsOn = body.endsOn ?? addToDate(measure.endsOn, { years: 1 });
        if (endsOn <= measure.endsOn) throw fieldError('body.endsOn', 'not_later', { ja: '延長後の終了日は現在の終了日より後にしてください。', en: 'The new end date must be after the current one.' });
        this.pend(measure, 'extension', by, reason, endsOn);
        payload.endsOn = endsOn;
      } else if (type === 'REQUEST_LIFT') {
        this.pend(measure, 'lift', by, reason, null);
      } else if (type === 'APPROVE') {
        if (decided === 'extension' && measure.pendingEndsOn) {
          payload.endsOn = measure.endsOn = measure.pendingEndsOn;
          measure.renewalDueOn = null;
        }
        measure.decidedBy = by;
        measure.declineReason = null;
        this.pend(measure, null, null, null, null);
      } else {
        measure.decidedBy = by;
        measure.declineReason = reason;
        this.pend(measure, null, null, null, null);
      }
      if (decided && (type === 'APPROVE' || type === 'DECLINE')) payload.request = decided;
      measure.state = to as DvMeasureState;
      await em.flush();
      await this.measures.record(em, auth.audit, measure, { type: DV_MEASURE_EVENTS[type], action: `dv-measure.${action}`, payload });
      return dvMeasureView(auth, measure);
    });
  }

  private pend(measure: DvMeasure, request: DvMeasure['pendingRequest'], by: string | null, reason: string | null, endsOn: string | null): void {
    measure.pendingRequest = request;
    measure.pendingRequestedBy = by;
    measure.pendingReason = reason || null;
    measure.pendingEndsOn = endsOn;
  }
}
