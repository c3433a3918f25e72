import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { fieldError } from '../../../../platform/http/app-error';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import type { RequestDvMeasureInput } from '../../domain/dv-measure.schemas';
import { dvMeasureView, type DvMeasureView } from '../../dv-measure-view';
import { DvMeasures } from '../../dv-measures';
import { loadHeldPerson } from '../../person-access';
import { PersonHoldings } from '../../person-holdings';

export class RequestDvMeasureCommand extends Command<DvMeasureView> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly input: RequestDvMeasureInput,
  ) {
    super();
  }
}

/**
 * A counselor of a department holding the person asks for a DV等支援措置 on them. It protects from now
 * on; the department's manager approves or declines it. A person the department does not hold is 404.
 */
@CommandHandler(RequestDvMeasureCommand)
export class RequestDvMeasureHandler implements ICommandHandler<RequestDvMeasureCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly measures: DvMeasures,
  ) {}

  execute({ auth, personId, input }: RequestDvMeasureCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const held = await loadHeldPerson(em, auth, this.holdings, personId, 'update');
      const departmentId = input.departmentId ?? (held.departmentIds.length === 1 ? held.departmentIds[0] : undefined);
      if (!departmentId || !held.departmentIds.includes(departmentId)) {
        throw fieldError('body.departmentId', 'department_required', {
          ja: 'この人を保有する自分の課を1つ指定してください。',
          en: 'Name one of your departments that holds this person.',
        });
      }
      assertCan(auth, 'create', 'DvMeasure', { tenantId: auth.principal.tenantId, departmentId }, { personId });
      const measure = await this.measures.open(em, auth, { personId, departmentId, ...input });
      return dvMeasureView(auth, measure);
    });
  }
}
