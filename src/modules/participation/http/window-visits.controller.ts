import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiTag } from '../../../platform/http/api-contract/api-tags';
import { Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { RecordWindowVisitCommand } from '../commands/record-window-visit';
import { recordWindowVisitSchema, windowVisitListQuery, type RecordWindowVisitInput, type WindowVisitListQuery } from '../domain/window-visit.schemas';
import { GetWindowVisitQuery, ListWindowVisitsQuery } from '../queries/window-visit-queries';
import { PARTICIPATION_TAG } from './participation.controller';
import { WindowVisitSchema } from './participation.responses';

const id = z.uuid();

/** 相談窓口の利用 (e.g. the 生涯現役応援窓口): visits recorded whether or not a connection follows. */
@ApiTag('participation', PARTICIPATION_TAG)
@ApiBearerAuth()
@Controller('participation')
export class WindowVisitsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Operation({
    route: 'POST window-visits',
    id: 'recordWindowVisit',
    summary: { ja: '窓口の利用を記録する（来所日・地区・希望・結果。本人または匿名の人数）', en: 'Record a visit to the window: day, 地区, wishes, outcome; the resident or a count of anonymous visitors' },
    description: 'Counted in the figures as a use of the window and per wish, whether or not a connection follows. A named resident needs the case they are worked in.',
    body: recordWindowVisitSchema,
    response: { status: 201, schema: WindowVisitSchema },
    errors: [404],
  })
  @Can('create', 'WindowVisit')
  record(@Auth() auth: RequestAuth, @Input.body() body: RecordWindowVisitInput) {
    return this.commands.execute(new RecordWindowVisitCommand(auth, body));
  }

  @Operation({
    route: 'GET window-visits',
    id: 'listWindowVisits',
    summary: { ja: '自部署の窓口利用の記録（期間・地区・本人・結果）', en: "My departments' window visits: by period, 地区, resident, outcome" },
    description: 'By visit day, oldest first. Paged: pass `next` as `cursor`. Each visit naming a resident is an audited read.',
    query: windowVisitListQuery,
    response: { schema: pageOf(WindowVisitSchema) },
  })
  @Can('read', 'WindowVisit')
  list(@Auth() auth: RequestAuth, @Input.query() query: WindowVisitListQuery) {
    return this.queries.execute(new ListWindowVisitsQuery(auth, query));
  }

  @Operation({
    route: 'GET window-visits/:id',
    id: 'getWindowVisit',
    summary: { ja: '窓口利用の記録', en: 'A window visit' },
    params: { id },
    response: { schema: WindowVisitSchema },
    errors: [404],
  })
  @Can('read', 'WindowVisit')
  get(@Auth() auth: RequestAuth, @Input.param('id') visitId: string) {
    return this.queries.execute(new GetWindowVisitQuery(auth, visitId));
  }
}
