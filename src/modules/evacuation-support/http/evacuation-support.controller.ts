import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { expectedVersion } from '../../../platform/http/expected-version';
import { UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
import { fieldError } from '../../../platform/http/app-error';
import { AcceptsBody, MB } from '../../../platform/http/request-body';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { ActOnEntryCommand } from '../commands/act-on-entry/act-on-entry';
import { AddEntryCommand } from '../commands/add-entry/add-entry';
import { CompleteReturnTaskCommand } from '../commands/complete-return-task/complete-return-task';
import { ConfigureRegisterCommand } from '../commands/configure-register/configure-register';
import { DisasterCommand } from '../commands/declare-or-close-disaster/declare-or-close-disaster';
import { ConfirmImportCommand, UploadCandidatesCommand } from '../commands/import-candidates/import-candidates';
import { SavePlanForEntryCommand } from '../commands/save-evacuation-plan/save-evacuation-plan';
import { SendNoticesCommand } from '../commands/send-notices/send-notices';
import { StartRenewalCommand } from '../commands/start-renewal/start-renewal';
import {
  addEntrySchema,
  bulkNoticeSchema,
  disasterSchema,
  entriesQuery,
  entryActionBodySchema,
  entryActionParam,
  planSchema,
  renewalSchema,
  rosterQuery,
  settingsSchema,
  type AddEntryInput,
  type PlanInput,
} from '../domain/register.schemas';
import { RegisterQuery, type RegisterRead } from '../queries/register-queries';
import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';

const importAction = z.enum(['confirm', 'cancel']);
const importReportQuery = z.strictObject({ from: z.coerce.number().int().min(0).max(1_000_000).default(0) });
const CANDIDATE_CSV_EXAMPLE = [
  '宛名番号,氏名,氏名カナ,生年月日,性別,住所,電話番号,地区,要介護度,身体障害者手帳,療育手帳,精神障害者保健福祉手帳,難病,独居,世帯状況',
  '1001,山田 ハナ,ヤマダ ハナ,1940/01/01,女,つなぎ市本町1-1,0120-000-001,A,要介護4,,,,無,有,独居',
  '1002,佐藤 太郎,サトウ タロウ,1948-03-03,男,つなぎ市本町2-2,0120-000-002,A,,1級,,,無,無,夫婦のみ',
].join('\r\n');

/** 避難行動要支援者名簿: register, notices, rosters for supporters, disasters, 個別避難計画, renewal. */
@ApiTags('evacuation-support')
@ApiBearerAuth()
@Controller('evacuation-support')
export class EvacuationSupportController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private read(auth: RequestAuth, read: RegisterRead) {
    return this.queries.execute(new RegisterQuery(auth, read));
  }

  @Get('settings')
  @Can('read', 'EvacuationSettings')
  @ApiOperation({ summary: 'Eligibility criteria and the normal-time provision model (opt-in, or 条例)' })
  settings(@Auth() auth: RequestAuth) {
    return this.read(auth, { kind: 'settings' });
  }

  @Put('settings')
  @Can('update', 'EvacuationSettings')
  @ApiBody({ schema: openApiBody(settingsSchema) })
  configure(@Auth() auth: RequestAuth, @Body(validate(settingsSchema)) body: z.infer<typeof settingsSchema>) {
    return this.commands.execute(new ConfigureRegisterCommand(auth, body));
  }

  @Post('imports')
  @Can('update', 'RegisterEntry')
  @AcceptsBody({ type: 'csv', limit: 20 * MB })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', description: 'the candidate CSV file', example: CANDIDATE_CSV_EXAMPLE } })
  @ApiOperation({ summary: 'Upload a candidate CSV (Shift_JIS or UTF-8): a row-by-row report; nothing is imported until confirmed' })
  upload(@Auth() auth: RequestAuth, @Body() body: unknown) {
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw fieldError('body', 'csv_required', { ja: 'Content-Type: text/csv で CSV ファイルを送ってください。', en: 'Send the CSV file with Content-Type: text/csv.' });
    }
    return this.commands.execute(new UploadCandidatesCommand(auth, body));
  }

  @Get('imports/:id')
  @Can('read', 'RegisterEntry')
  @ApiOperation({ summary: 'An import: its report and progress; rejected and skipped rows 20 at a time from `from`' })
  importStatus(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Query(validate(importReportQuery)) query: z.infer<typeof importReportQuery>) {
    return this.read(auth, { kind: 'import', id, from: query.from });
  }

  @Post('imports/:id/actions/:action')
  @HttpCode(200)
  @Can('update', 'RegisterEntry')
  @ApiOperation({ summary: 'confirm (the valid rows enter the register, all or nothing) or cancel' })
  decideImport(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Param('action', validate(importAction)) action: 'confirm' | 'cancel') {
    return this.commands.execute(new ConfirmImportCommand(auth, id, action));
  }

  @Post('entries')
  @Can('create', 'RegisterEntry')
  @ApiOperation({ summary: 'Add a person: found in a survey (長寿課), at a neighbour’s request, or on their own application' })
  @ApiBody({ schema: openApiBody(addEntrySchema) })
  add(@Auth() auth: RequestAuth, @Body(validate(addEntrySchema)) body: AddEntryInput) {
    return this.commands.execute(new AddEntryCommand(auth, body));
  }

  @Get('entries')
  @Can('read', 'RegisterEntry')
  list(@Auth() auth: RequestAuth, @Query(validate(entriesQuery)) query: z.infer<typeof entriesQuery>) {
    return this.read(auth, { kind: 'entries', ...query });
  }

  @Get('entries/:id')
  @Can('read', 'RegisterEntry')
  entry(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.read(auth, { kind: 'entry', id });
  }

  @Post('entries/:id/actions/:action')
  @HttpCode(200)
  @Can('update', 'RegisterEntry')
  @ApiOperation({ summary: 'send-notice, mark-mailed, register (provision), decline, send-renewal, renew (provision), remove (reason)' })
  @ApiBody({ schema: openApiBody(entryActionBodySchema) })
  act(
    @Auth() auth: RequestAuth,
    @Param('id', UuidParam) id: string,
    @Param('action', validate(entryActionParam)) action: z.infer<typeof entryActionParam>,
    @Body(validate(entryActionBodySchema)) body: z.infer<typeof entryActionBodySchema>,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnEntryCommand(auth, id, action, expectedVersion(body.version, ifMatch), body));
  }

  @Put('entries/:id/plan')
  @Can('update', 'EvacuationPlan')
  @ApiOperation({ summary: '個別避難計画 — helper (with their consent), 避難場所, 経路, care notes, medication' })
  @ApiBody({ schema: openApiBody(planSchema) })
  plan(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(planSchema)) body: PlanInput) {
    return this.commands.execute(new SavePlanForEntryCommand(auth, id, body));
  }

  @Post('notices')
  @HttpCode(200)
  @Can('update', 'RegisterEntry')
  @ApiOperation({ summary: 'Send the 登録案内 to eligible candidates (all, or the ids given)' })
  @ApiBody({ schema: openApiBody(bulkNoticeSchema) })
  // Up to 5,000 entry ids.
  @AcceptsBody({ type: 'json', limit: 256 * 1024 })
  sendNotices(@Auth() auth: RequestAuth, @Body(validate(bulkNoticeSchema)) body: z.infer<typeof bulkNoticeSchema>) {
    return this.commands.execute(new SendNoticesCommand(auth, 'send', body.entryIds));
  }

  @Get('notices.csv')
  @Can('read', 'RegisterEntry')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'The notices to print: a CSV for mail merge (UTF-8 with BOM)' })
  noticesCsv(@Auth() auth: RequestAuth) {
    return this.read(auth, { kind: 'notices-csv' });
  }

  @Post('notices/actions/mark-mailed')
  @HttpCode(200)
  @Can('update', 'RegisterEntry')
  @ApiOperation({ summary: 'The mail merge went out: the entries wait for answers' })
  markMailed(@Auth() auth: RequestAuth) {
    return this.commands.execute(new SendNoticesCommand(auth, 'mailed'));
  }

  @Get('roster')
  @Can('read', 'Roster')
  @ApiOperation({ summary: "A supporter's roster of their 地区 (a recorded provision with a receipt)" })
  roster(@Auth() auth: RequestAuth, @Query(validate(rosterQuery)) query: z.infer<typeof rosterQuery>) {
    return this.read(auth, { kind: 'roster', provision: 'roster_view', district: query.district });
  }

  @Get('roster.csv')
  @Can('read', 'Roster')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'Download the roster (a recorded provision with a receipt)' })
  rosterCsv(@Auth() auth: RequestAuth, @Query(validate(rosterQuery)) query: z.infer<typeof rosterQuery>) {
    return this.read(auth, { kind: 'roster', provision: 'roster_download', district: query.district, csv: true });
  }

  @Get('roster/:personId')
  @Can('read', 'Roster')
  rosterPerson(@Auth() auth: RequestAuth, @Param('personId', UuidParam) personId: string) {
    return this.read(auth, { kind: 'roster', provision: 'roster_view', personId });
  }

  @Get('plans')
  @Can('read', 'Roster')
  @ApiOperation({ summary: '個別避難計画 shared like the roster (DMA_PLAN_NORMAL with both consents, DMA_PLAN_DISASTER)' })
  plans(@Auth() auth: RequestAuth, @Query(validate(rosterQuery)) query: z.infer<typeof rosterQuery>) {
    return this.read(auth, { kind: 'roster', provision: 'plans', district: query.district });
  }

  @Get('disasters')
  @Can('read', 'Disaster')
  disasters(@Auth() auth: RequestAuth) {
    return this.read(auth, { kind: 'disasters' });
  }

  @Post('disasters')
  @Can('create', 'Disaster')
  @ApiOperation({ summary: 'Declare a disaster for some 地区 (安心安全課): rosters switch to DMA_ROSTER_DISASTER there' })
  @ApiBody({ schema: openApiBody(disasterSchema) })
  declare(@Auth() auth: RequestAuth, @Body(validate(disasterSchema)) body: z.infer<typeof disasterSchema>) {
    return this.commands.execute(new DisasterCommand(auth, body));
  }

  @Post('disasters/:id/actions/close')
  @HttpCode(200)
  @Can('update', 'Disaster')
  close(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.commands.execute(new DisasterCommand(auth, null, id));
  }

  @Post('renewal-campaigns')
  @Can('update', 'RegisterEntry')
  @ApiOperation({ summary: 'Start the yearly renewal: notices to everyone registered, in the background' })
  @ApiBody({ schema: openApiBody(renewalSchema) })
  renew(@Auth() auth: RequestAuth, @Body(validate(renewalSchema)) body: z.infer<typeof renewalSchema>) {
    return this.commands.execute(new StartRenewalCommand(auth, body.year));
  }

  @Get('renewal-campaigns/:id')
  @Can('read', 'RegisterEntry')
  campaign(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.read(auth, { kind: 'campaign', id });
  }

  @Get('return-tasks')
  @Can('read', 'ReturnTask')
  @ApiOperation({ summary: "A supporter's tasks to return or destroy removed people's data" })
  returnTasks(@Auth() auth: RequestAuth) {
    return this.read(auth, { kind: 'return-tasks' });
  }

  @Post('return-tasks/:id/actions/done')
  @HttpCode(200)
  @Can('update', 'ReturnTask')
  returnDone(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.commands.execute(new CompleteReturnTaskCommand(auth, id));
  }

  @Get('figures')
  @Can('read', 'RegisterEntry')
  @ApiOperation({ summary: 'Per 地区 and overall: listed, shared in normal times (%), plans made (%), pending answers' })
  figures(@Auth() auth: RequestAuth) {
    return this.read(auth, { kind: 'figures' });
  }
}
