import { Controller, Header } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiTag } from '../../../platform/http/api-contract/api-tags';
import { IF_MATCH, Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { csvFile } from '../../../platform/http/csv';
import { queryFlag } from '../../../platform/http/input';
import { expectedVersion } from '../../../platform/http/expected-version';
import { Db } from '../../../platform/database/db';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { ActOnConnectionCommand } from '../commands/act-on-connection';
import { ConnectCommand } from '../commands/connect';
import { CreateResourceCommand, UpdateResourceCommand } from '../commands/keep-resource';
import { ImportResourcesCommand } from '../commands/import-resources';
import { RESOURCE_CSV_EXAMPLE } from '../domain/resource-csv';
import { AcceptsBody, MB } from '../../../platform/http/request-body';
import {
  closeResourceSchema,
  connectionActionBodySchema,
  connectionActionParam,
  connectionListQuery,
  connectSchema,
  createResourceSchema,
  proposalQuery,
  resourceListQuery,
  updateResourceSchema,
  createVolunteerSchema,
  updateVolunteerSchema,
  volunteerListQuery,
  type CreateVolunteerInput,
  type UpdateVolunteerInput,
  type VolunteerListQuery,
  type CloseResourceInput,
  type ConnectInput,
  type ConnectionAction,
  type ConnectionActionBody,
  type ConnectionListQuery,
  type CreateResourceInput,
  type ProposalQuery,
  type ResourceListQuery,
  type UpdateResourceInput,
} from '../domain/participation.schemas';
import { GetConnectionQuery, ListConnectionsQuery } from '../queries/connection-queries';
import { figuresQuery, figuresRows, participationFigures, ParticipationFiguresSchema, type FiguresQuery } from '../queries/figures';
import { ProposeResourcesQuery } from '../queries/proposal-queries';
import { GetResourceQuery, ListResourcesQuery } from '../queries/resource-queries';
import { ParticipationConnectionSchema, ParticipationProposalsSchema, ParticipationResourceImportSchema, ParticipationResourceSchema, VolunteerSchema } from './participation.responses';
import { KeepVolunteerCommand } from '../commands/keep-volunteer';
import { GetVolunteerQuery, ListVolunteersQuery } from '../queries/volunteer-queries';

const id = z.uuid();
const importQuery = z.strictObject({ dryRun: queryFlag('true: report only, write nothing') });

export const PARTICIPATION_TAG = { ja: '参加支援 — 社会資源の一覧、マッチング、窓口の利用、つなぎ先とフォローアップ', en: 'Participation support: the directory of resources, matching, window visits, connections and follow-up' };

@ApiTag('participation', PARTICIPATION_TAG)
@ApiBearerAuth()
@Controller('participation')
export class ParticipationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly db: Db,
  ) {}

  @Operation({
    route: 'GET figures',
    id: 'getParticipationFigures',
    summary: {
      ja: '参加支援の集計（利用者、希望別、つなぎ・継続、就労、地区・種別ごとの社会資源と利用率）',
      en: 'Participation figures: people, wishes by kind, connections made and continuing at 3 and 6 months, placements into work, resources by 地区 and kind with utilisation',
    },
    query: figuresQuery,
    response: { schema: ParticipationFiguresSchema },
  })
  @Can('read', 'ParticipationFigures')
  figures(@Auth() auth: RequestAuth, @Input.query() query: FiguresQuery) {
    return this.db.inTenant(auth.principal.tenantId, (em) => participationFigures(em, query));
  }

  @Operation({
    route: 'GET figures.csv',
    id: 'exportParticipationFigures',
    summary: { ja: '参加支援の集計を CSV で出力する', en: 'The participation figures as CSV' },
    description: 'One long table: 指標, 地区, 種別, 値 (UTF-8 with BOM; a pivot in Excel gives any layout).',
    query: figuresQuery,
    response: { media: 'text/csv', description: 'UTF-8 with BOM, Japanese headers and values' },
  })
  @Can('read', 'ParticipationFigures')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async figuresCsv(@Auth() auth: RequestAuth, @Input.query() query: FiguresQuery) {
    const figures = await this.db.inTenant(auth.principal.tenantId, (em) => participationFigures(em, query));
    return csvFile('participation-figures.csv', ['指標', '地区', '種別', '値'], figuresRows(figures));
  }

  @Operation({
    route: 'POST resources',
    id: 'createParticipationResource',
    summary: { ja: '社会資源を登録する（担当課・地区は必須）', en: 'Add a resource to the directory (owner department and 地区 required)' },
    body: createResourceSchema,
    response: { status: 201, schema: ParticipationResourceSchema },
  })
  @Can('create', 'ParticipationResource')
  createResource(@Auth() auth: RequestAuth, @Input.body() body: CreateResourceInput) {
    return this.commands.execute(new CreateResourceCommand(auth, body));
  }

  @Operation({
    route: 'POST resources/imports',
    id: 'importParticipationResources',
    summary: { ja: '社会資源のCSVを取り込む（行ごとの結果。dryRun=true で確認のみ）', en: 'Import a directory CSV: a row-by-row report; dryRun=true only checks' },
    description: `Shift_JIS or UTF-8, up to 5 MB; header row as in the example (種別・タグ・曜日 as codes or Japanese labels, 担当課 as a code or name):\n\n\`\`\`\n${RESOURCE_CSV_EXAMPLE}\n\`\`\``,
    query: importQuery,
    bodyMedia: 'text/csv',
    response: { status: 201, schema: ParticipationResourceImportSchema },
  })
  @Can('create', 'ParticipationResource')
  @AcceptsBody({ type: 'csv', limit: 5 * MB })
  importResources(@Auth() auth: RequestAuth, @Input.query() query: z.infer<typeof importQuery>, @Input.body() body: Buffer) {
    return this.commands.execute(new ImportResourcesCommand(auth, body, query.dryRun ?? false));
  }

  @Operation({
    route: 'GET resources',
    id: 'listParticipationResources',
    summary: { ja: '社会資源の検索（語句・タグ・地区と隣接地区・曜日・要確認）', en: 'Search the directory: text, tag, 地区 and its neighbours, day, stale entries' },
    description: 'By name. Closed entries only with `includeClosed=true`. Paged: pass `next` as `cursor`.',
    query: resourceListQuery,
    response: { schema: pageOf(ParticipationResourceSchema) },
  })
  @Can('read', 'ParticipationResource')
  listResources(@Auth() auth: RequestAuth, @Input.query() query: ResourceListQuery) {
    return this.queries.execute(new ListResourcesQuery(auth, query));
  }

  @Operation({
    route: 'GET resources/:id',
    id: 'getParticipationResource',
    summary: { ja: '社会資源', en: 'A resource' },
    params: { id },
    response: { schema: ParticipationResourceSchema },
    errors: [404],
  })
  @Can('read', 'ParticipationResource')
  getResource(@Auth() auth: RequestAuth, @Input.param('id') resourceId: string) {
    return this.queries.execute(new GetResourceQuery(auth, resourceId));
  }

  @Operation({
    route: 'PATCH resources/:id',
    id: 'updateParticipationResource',
    summary: { ja: '社会資源を更新・確認する（確認日は今日に）', en: 'Correct or confirm a resource (its as-of day becomes today)' },
    params: { id },
    body: updateResourceSchema,
    headers: IF_MATCH,
    response: { schema: ParticipationResourceSchema },
    errors: [404, 409, 422],
  })
  @Can('update', 'ParticipationResource')
  updateResource(@Auth() auth: RequestAuth, @Input.param('id') resourceId: string, @Input.body() body: UpdateResourceInput, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new UpdateResourceCommand(auth, resourceId, expectedVersion(body.version, ifMatch), { kind: 'update', input: body }));
  }

  @Operation({
    route: 'POST resources/:id/actions/close',
    id: 'closeParticipationResource',
    summary: { ja: '社会資源を終了する（理由つき）', en: 'Close a resource, with a reason' },
    params: { id },
    body: closeResourceSchema,
    headers: IF_MATCH,
    response: { status: 200, schema: ParticipationResourceSchema },
    errors: [404],
  })
  @Can('update', 'ParticipationResource')
  closeResource(@Auth() auth: RequestAuth, @Input.param('id') resourceId: string, @Input.body() body: CloseResourceInput, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new UpdateResourceCommand(auth, resourceId, expectedVersion(body.version, ifMatch), { kind: 'close', input: body }));
  }

  @Operation({
    route: 'GET proposals',
    id: 'proposeParticipationResources',
    summary: { ja: '希望や参加支援タスクに合う社会資源の提案（理由つき）', en: 'Resources that fit a wish or a participation task, each with why' },
    description: 'Closed and full resources are never proposed. With `planTaskId` the case’s issues count as needs. Near `districtCode`: that 地区 first, then its neighbours (隣接地区, said in the reasons), then the rest.',
    query: proposalQuery,
    response: { schema: ParticipationProposalsSchema },
    errors: [404],
  })
  @Can('read', 'ParticipationResource')
  propose(@Auth() auth: RequestAuth, @Input.query() query: ProposalQuery) {
    return this.queries.execute(new ProposeResourcesQuery(auth, query));
  }

  @Operation({
    route: 'POST connections',
    id: 'connectToParticipationResource',
    summary: { ja: '本人をつなぎ先につなぐ（伝える項目と本人同意つき）', en: 'Connect a person to a resource, with the fields to tell the host and the person’s consent' },
    description: 'Refused (422) for a closed or full resource, and without consent covering every shared field.',
    body: connectSchema,
    response: { status: 201, schema: ParticipationConnectionSchema },
    errors: [404],
  })
  @Can('create', 'ParticipationConnection')
  connect(@Auth() auth: RequestAuth, @Input.body() body: ConnectInput) {
    return this.commands.execute(new ConnectCommand(auth, body));
  }

  @Operation({
    route: 'GET connections',
    id: 'listParticipationConnections',
    summary: { ja: '自部署のつなぎ先（フォローアップ期限切れはタスク）', en: "My departments' connections; late follow-ups are tasks" },
    description: 'Oldest first. Paged: pass `next` as `cursor`.',
    query: connectionListQuery,
    response: { schema: pageOf(ParticipationConnectionSchema) },
  })
  @Can('read', 'ParticipationConnection')
  listConnections(@Auth() auth: RequestAuth, @Input.query() query: ConnectionListQuery) {
    return this.queries.execute(new ListConnectionsQuery(auth, query));
  }

  @Operation({
    route: 'GET connections/:id',
    id: 'getParticipationConnection',
    summary: { ja: 'つなぎ先の記録', en: 'A connection' },
    params: { id },
    response: { schema: ParticipationConnectionSchema },
    errors: [404],
  })
  @Can('read', 'ParticipationConnection')
  getConnection(@Auth() auth: RequestAuth, @Input.param('id') connectionId: string) {
    return this.queries.execute(new GetConnectionQuery(auth, connectionId));
  }

  @Operation({
    route: 'POST connections/:id/actions/:action',
    id: 'actOnParticipationConnection',
    summary: { ja: 'つなぎ先の経過を記録する（紹介・開始・継続・フォローアップ・終了）', en: 'Record how a connection goes: introduce, start, continue, follow up, end' },
    description: 'introduce tells the host the agreed fields (a disclosure receipt); start completes the participation task; end needs `reason`.',
    params: { id, action: connectionActionParam },
    body: connectionActionBodySchema,
    headers: IF_MATCH,
    response: { status: 200, schema: ParticipationConnectionSchema },
    errors: [404],
  })
  @Can('read', 'ParticipationConnection')
  act(
    @Auth() auth: RequestAuth,
    @Input.param('id') connectionId: string,
    @Input.param('action') action: ConnectionAction,
    @Input.body() body: ConnectionActionBody,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnConnectionCommand(auth, connectionId, action, expectedVersion(body.version, ifMatch), body));
  }

  @Operation({
    route: 'POST volunteers',
    id: 'listVolunteer',
    summary: { ja: '人財を登録する（本人の掲載同意が必要）', en: 'List a person who offers time or skills (their consent to be listed is required)' },
    body: createVolunteerSchema,
    response: { status: 201, schema: VolunteerSchema },
  })
  @Can('create', 'Volunteer')
  createVolunteer(@Auth() auth: RequestAuth, @Input.body() body: CreateVolunteerInput) {
    return this.commands.execute(new KeepVolunteerCommand(auth, { kind: 'create', input: body }));
  }

  @Operation({
    route: 'GET volunteers',
    id: 'listVolunteers',
    summary: { ja: '人財の一覧（技能・地区・曜日）', en: 'Listed people: skills, 地区 they reach, days' },
    description: 'By name. Paged: pass `next` as `cursor`. The contact only where the caller may read it.',
    query: volunteerListQuery,
    response: { schema: pageOf(VolunteerSchema) },
  })
  @Can('read', 'Volunteer')
  listVolunteers(@Auth() auth: RequestAuth, @Input.query() query: VolunteerListQuery) {
    return this.queries.execute(new ListVolunteersQuery(auth, query));
  }

  @Operation({
    route: 'GET volunteers/:id',
    id: 'getVolunteer',
    summary: { ja: '人財', en: 'A listed person' },
    params: { id },
    response: { schema: VolunteerSchema },
    errors: [404],
  })
  @Can('read', 'Volunteer')
  getVolunteer(@Auth() auth: RequestAuth, @Input.param('id') volunteerId: string) {
    return this.queries.execute(new GetVolunteerQuery(auth, volunteerId));
  }

  @Operation({
    route: 'PATCH volunteers/:id',
    id: 'updateVolunteer',
    summary: { ja: '人財を更新する（掲載取りやめは state=withdrawn）', en: 'Change a listed person (state=withdrawn ends the listing)' },
    params: { id },
    body: updateVolunteerSchema,
    headers: IF_MATCH,
    response: { schema: VolunteerSchema },
    errors: [404, 409, 422],
  })
  @Can('update', 'Volunteer')
  updateVolunteer(@Auth() auth: RequestAuth, @Input.param('id') volunteerId: string, @Input.body() body: UpdateVolunteerInput, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new KeepVolunteerCommand(auth, { kind: 'update', volunteerId, expectedVersion: expectedVersion(body.version, ifMatch), input: body }));
  }
}
