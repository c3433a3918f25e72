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
import { ActOnInformationRequestCommand } from '../commands/act-on-information-request';
import { RequestInformationCommand } from '../commands/request-information';
import {
  informationRequestActionBodySchema,
  informationRequestActionParam,
  informationRequestListQuery,
  requestInformationSchema,
  type InformationRequestAction,
  type InformationRequestActionBody,
  type InformationRequestListQuery,
  type RequestInformationInput,
} from '../domain/information-request.schemas';
import { GetInformationRequestQuery, ListInformationRequestsQuery } from '../queries/information-request-queries';
import { InformationRequestSchema } from './information-request.responses';

const id = z.uuid();

@ApiTag('information-requests', { ja: '情報照会 — 人を保有する課への項目の照会と提供', en: 'Information requests: asking the department that holds a person for named fields' })
@ApiBearerAuth()
@Controller()
export class InformationRequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Operation({
    route: 'POST information-requests',
    id: 'requestInformation',
    summary: { ja: '人を保有する課に項目を照会する（目的と法的根拠を添えて）', en: 'Ask the department holding a person for field groups, with purpose and legal basis' },
    description:
      'The person by `personId`, or in `person` by the intake check’s terms (name + birth date, or 宛名番号: the check gives no id), ' +
      'which must name exactly one person the department holds (else 422). The department must hold the person (the intake check names those that do); otherwise 404, as for an unknown or another municipality’s person id. ' +
      'The legal basis: CONSENT (checked at approval: the person’s standing consent naming the asking department for the groups disclosed), APPI_INTERNAL (within one body), ' +
      'APPI_PUBLIC_BODY (between separate bodies, e.g. a 教育委員会 department; a mismatch is 422), APPI_SPECIAL (only the holding department’s manager approves); a reason for every basis but CONSENT.',
    body: requestInformationSchema,
    response: { status: 201, schema: InformationRequestSchema },
    errors: [404],
  })
  @Can('create', 'InformationRequest')
  request(@Auth() auth: RequestAuth, @Input.body() body: RequestInformationInput) {
    return this.commands.execute(new RequestInformationCommand(auth, body));
  }

  @Operation({
    route: 'GET information-requests',
    id: 'listInformationRequests',
    summary: { ja: '自部署の情報照会一覧（受信・送信）', en: "My departments' information requests, incoming or outgoing" },
    description: 'Oldest first. Paged: pass `next` as `cursor`.',
    query: informationRequestListQuery,
    response: { schema: pageOf(InformationRequestSchema) },
  })
  @Can('read', 'InformationRequest')
  list(@Auth() auth: RequestAuth, @Input.query() query: InformationRequestListQuery) {
    return this.queries.execute(new ListInformationRequestsQuery(auth, query));
  }

  @Operation({
    route: 'GET information-requests/:id',
    id: 'getInformationRequest',
    summary: { ja: '情報照会', en: 'An information request' },
    params: { id },
    response: { schema: InformationRequestSchema },
    errors: [404],
  })
  @Can('read', 'InformationRequest')
  get(@Auth() auth: RequestAuth, @Input.param('id') requestId: string) {
    return this.queries.execute(new GetInformationRequestQuery(auth, requestId));
  }

  @Operation({
    route: 'POST information-requests/:id/actions/:action',
    id: 'actOnInformationRequest',
    summary: { ja: '情報照会に応答する（保有課は承認・不承認、照会元は取下げ）', en: 'Answer an information request: approve or decline as the holder, or withdraw as the requester' },
    description:
      'approve may take `groups` (all requested or fewer); decline needs `reason`. The version read goes in `version` or If-Match. ' +
      'On CONSENT, approval needs the person’s standing consent naming the requester for these groups (else 422, nothing written); on APPI_SPECIAL only the holding department’s manager approves (403 otherwise).',
    params: { id, action: informationRequestActionParam },
    body: informationRequestActionBodySchema,
    headers: IF_MATCH,
    response: { status: 200, schema: InformationRequestSchema },
    errors: [404],
  })
  @Can('read', 'InformationRequest')
  act(
    @Auth() auth: RequestAuth,
    @Input.param('id') requestId: string,
    @Input.param('action') action: InformationRequestAction,
    @Input.body() body: InformationRequestActionBody,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnInformationRequestCommand(auth, requestId, action, expectedVersion(body.version, ifMatch), body));
  }
}
