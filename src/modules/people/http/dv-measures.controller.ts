import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiTag } from '../../../platform/http/api-contract/api-tags';
import { IF_MATCH, Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { expectedVersion } from '../../../platform/http/expected-version';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { ActOnDvMeasureCommand } from '../commands/dv-measures/act-on-dv-measure';
import { RequestDvMeasureCommand } from '../commands/dv-measures/request-dv-measure';
import {
  dvMeasureActionBodySchema,
  dvMeasureActionParam,
  dvMeasureListQuery,
  requestDvMeasureSchema,
  type DvMeasureAction,
  type DvMeasureActionBody,
  type DvMeasureListQuery,
  type RequestDvMeasureInput,
} from '../domain/dv-measure.schemas';
import { ListDvMeasuresQuery, ListDvRenewalsDueQuery } from '../queries/dv-measure-queries';
import { DvMeasureSchema } from './dv-measure.responses';

const id = z.uuid();

@ApiTag('dv-measures', { ja: 'DV等支援措置 — 設定・延長・解除（相談員の申請と課長の承認）', en: 'DV support measures: set, extend, lift (a counselor asks, the manager approves)' })
@ApiBearerAuth()
@Controller('people')
export class DvMeasuresController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Operation({
    route: 'GET dv-measures/renewals-due',
    id: 'listDvRenewalsDue',
    summary: { ja: '自部署の支援措置の更新確認（期限が近いもの）', en: "My departments' support measures due for renewal" },
    description: 'Raised by the daily sweep 30 days before the end; gone once extended. Soonest end first; paged: pass `next` as `cursor`.',
    query: dvMeasureListQuery,
    response: { schema: pageOf(DvMeasureSchema) },
  })
  @Can('read', 'DvMeasure')
  renewalsDue(@Auth() auth: RequestAuth, @Input.query() query: DvMeasureListQuery) {
    return this.queries.execute(new ListDvRenewalsDueQuery(auth, query));
  }

  @Operation({
    route: 'GET :id/dv-measures',
    id: 'listDvMeasures',
    summary: { ja: 'この人の支援措置（自部署が申請したもの、閲覧を監査記録）', en: "A person's support measures your departments asked for (audited)" },
    description: 'Oldest first; paged: pass `next` as `cursor`.',
    params: { id },
    query: dvMeasureListQuery,
    response: { schema: pageOf(DvMeasureSchema) },
    errors: [404],
  })
  @Can('read', 'DvMeasure')
  list(@Auth() auth: RequestAuth, @Input.param('id') personId: string, @Input.query() query: DvMeasureListQuery) {
    return this.queries.execute(new ListDvMeasuresQuery(auth, personId, query));
  }

  @Operation({
    route: 'POST :id/dv-measures',
    id: 'requestDvMeasure',
    summary: { ja: '支援措置の設定を申請する（申請時から保護、課長が承認）', en: 'Ask for a support measure on a person your department holds: it protects at once; the manager approves' },
    description: 'Default a year from today. The requester is always a protector. A person your department does not hold answers 404.',
    params: { id },
    body: requestDvMeasureSchema,
    response: { status: 201, schema: DvMeasureSchema },
    errors: [404],
  })
  @Can('create', 'DvMeasure')
  request(@Auth() auth: RequestAuth, @Input.param('id') personId: string, @Input.body() body: RequestDvMeasureInput) {
    return this.commands.execute(new RequestDvMeasureCommand(auth, personId, body));
  }

  @Operation({
    route: 'POST :id/dv-measures/:dvMeasureId/actions/:action',
    id: 'actOnDvMeasure',
    summary: { ja: '支援措置の延長・解除の申請、申請の承認・不承認', en: 'Ask to extend or lift a support measure, or approve or decline the request waiting' },
    description:
      'request-extension may take `endsOn` (default a year more); request-lift and decline need `reason`. Whoever asked cannot decide (422). ' +
      'The version read goes in `version` or If-Match.',
    params: { id, dvMeasureId: id, action: dvMeasureActionParam },
    body: dvMeasureActionBodySchema,
    headers: IF_MATCH,
    response: { status: 200, schema: DvMeasureSchema },
    errors: [404],
  })
  @Can('read', 'DvMeasure')
  act(
    @Auth() auth: RequestAuth,
    @Input.param('id') personId: string,
    @Input.param('dvMeasureId') measureId: string,
    @Input.param('action') action: DvMeasureAction,
    @Input.body() body: DvMeasureActionBody,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnDvMeasureCommand(auth, personId, measureId, action, expectedVersion(body.version, ifMatch), body));
  }
}
