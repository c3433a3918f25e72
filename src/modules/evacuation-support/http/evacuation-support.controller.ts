import { Controller, Header } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiTag } from '../../../platform/http/api-contract/api-tags';
import { IF_MATCH, Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { pageOf, pageParams, type PageParams } from '../../../platform/http/api-contract/paging';
import { expectedVersion } from '../../../platform/http/expected-version';
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
  importAction,
  importReportQuery,
  planSchema,
  renewalSchema,
  rosterPageQuery,
  rosterQuery,
  settingsSchema,
  type AddEntryInput,
  type EntriesQuery,
  type PlanInput,
  type RosterPageQuery,
  type RosterQuery,
} from '../domain/register.schemas';
import { RegisterQuery, type RegisterRead } from '../queries/register-queries';
import {
  DisasterChangedSchema,
  DisasterSchema,
  EvacuationPlanSavedSchema,
  NoticesSentSchema,
  RegisterEntryAddedSchema,
  RegisterEntryMovedSchema,
  RegisterEntrySchema,
  RegisterFiguresSchema,
  RegisterImportReportSchema,
  RegisterSettingsSavedSchema,
  RegisterSettingsSchema,
  RenewalCampaignSchema,
  RenewalCampaignStartedSchema,
  ReturnTaskDoneSchema,
  ReturnTaskSchema,
  RosterRowSchema,
} from './register.responses';

const id = z.uuid();
const pageQuery = z.strictObject(pageParams);
const CSV = 'text/csv';
/** What StreamableFile would otherwise call application/octet-stream. */
const CSV_ANSWER = 'text/csv; charset=utf-8';
const CANDIDATE_CSV_EXAMPLE = [
  '宛名番号,氏名,氏名カナ,生年月日,性別,住所,電話番号,地区,要介護度,身体障害者手帳,療育手帳,精神障害者保健福祉手帳,難病,独居,世帯状況',
  '1001,山田 ハナ,ヤマダ ハナ,1940/01/01,女,つなぎ市本町1-1,0120-000-001,A,要介護4,,,,無,有,独居',
  '1002,佐藤 太郎,サトウ タロウ,1948-03-03,男,つなぎ市本町2-2,0120-000-002,A,,1級,,,無,無,夫婦のみ',
].join('\n');
const ROSTER_PROVISION = 'Every call is a provision (名簿提供記録) with a receipt number, each person read audited on its basis; people under DV protection never appear to supporters.';

/** 避難行動要支援者名簿: register, notices, rosters for supporters, disasters, 個別避難計画, renewal. */
@ApiTag('evacuation-support', { ja: '避難行動要支援者名簿 — 名簿・登録案内・名簿提供・災害・個別避難計画・更新', en: 'The register of people who need help to evacuate: entries, notices, rosters for supporters, disasters, evacuation plans, renewal' })
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

  @Operation({
    route: 'GET settings',
    id: 'getRegisterSettings',
    summary: { ja: '名簿の対象要件と平常時の提供方式（同意方式・条例）', en: 'Eligibility criteria and the normal-time provision model (opt-in, or 条例)' },
    response: { schema: RegisterSettingsSchema },
  })
  @Can('read', 'EvacuationSettings')
  settings(@Auth() auth: RequestAuth) {
    return this.read(auth, { kind: 'settings' });
  }

  @Operation({
    route: 'PUT settings',
    id: 'configureRegister',
    summary: { ja: '対象要件と提供方式を変更する', en: 'Change the eligibility criteria and the provision model' },
    description: '`version` is the version read (0 before the first change); stale → 409.',
    body: settingsSchema,
    response: { schema: RegisterSettingsSavedSchema },
    errors: [409],
  })
  @Can('update', 'EvacuationSettings')
  configure(@Auth() auth: RequestAuth, @Input.body() body: z.infer<typeof settingsSchema>) {
    return this.commands.execute(new ConfigureRegisterCommand(auth, body));
  }

  @Operation({
    route: 'POST imports',
    id: 'uploadRegisterCandidates',
    summary: { ja: '候補者CSVを読み込む（行ごとの結果。確定するまで名簿には入らない）', en: 'Upload a candidate CSV: a row-by-row report; nothing is imported until confirmed' },
    description: `Shift_JIS or UTF-8, up to 20 MB; header row as in the example:\n\n\`\`\`\n${CANDIDATE_CSV_EXAMPLE}\n\`\`\``,
    bodyMedia: CSV,
    response: { status: 201, schema: RegisterImportReportSchema },
  })
  @Can('update', 'RegisterEntry')
  @AcceptsBody({ type: 'csv', limit: 20 * MB })
  upload(@Auth() auth: RequestAuth, @Input.body() body: Buffer) {
    return this.commands.execute(new UploadCandidatesCommand(auth, body));
  }

  @Operation({
    route: 'GET imports/:id',
    id: 'getRegisterImport',
    summary: { ja: '取込の結果と進み具合（不備・除外の行は from から20行ずつ）', en: 'An import: its report and progress; rejected and skipped rows 20 at a time from `from`' },
    params: { id },
    query: importReportQuery,
    response: { schema: RegisterImportReportSchema },
    errors: [404],
  })
  @Can('read', 'RegisterEntry')
  importStatus(@Auth() auth: RequestAuth, @Input.param('id') importId: string, @Input.query() query: z.infer<typeof importReportQuery>) {
    return this.read(auth, { kind: 'import', id: importId, from: query.from });
  }

  @Operation({
    route: 'POST imports/:id/actions/:action',
    id: 'decideRegisterImport',
    summary: { ja: '取込を確定する（有効な行をすべて一度に名簿へ。裏で進み statusUrl で進捗を見る）か取り消す', en: 'Confirm an import (a background job: the valid rows enter the register, all or nothing; follow statusUrl) or cancel it' },
    description: 'Confirming answers 202 at once with state `importing`; GET the import for its progress and result (`imported`, or `failed` with `failure`). Confirming again while it runs or once it is imported changes nothing; a failed import may be confirmed again.',
    params: { id, action: importAction },
    response: { status: 202, schema: RegisterImportReportSchema },
    errors: [404],
  })
  @Can('update', 'RegisterEntry')
  decideImport(@Auth() auth: RequestAuth, @Input.param('id') importId: string, @Input.param('action') action: z.infer<typeof importAction>) {
    return this.commands.execute(new ConfirmImportCommand(auth, importId, action));
  }

  @Operation({
    route: 'POST entries',
    id: 'addRegisterEntry',
    summary: { ja: '名簿に人を加える（長寿課の調査・近隣からの依頼・本人申請）', en: 'Add a person: found in a survey (長寿課), at a neighbour’s request, or on their own application' },
    body: addEntrySchema,
    response: { status: 201, schema: RegisterEntryAddedSchema },
    errors: [404],
  })
  @Can('create', 'RegisterEntry')
  add(@Auth() auth: RequestAuth, @Input.body() body: AddEntryInput) {
    return this.commands.execute(new AddEntryCommand(auth, body));
  }

  @Operation({
    route: 'GET entries',
    id: 'listRegisterEntries',
    summary: { ja: '名簿の登録一覧（地区・状態・要件該当で絞り込み）', en: 'The register’s entries, by 地区, state and eligibility' },
    description: 'By 地区, then as people entered the register. Each person read is audited. Paged: pass `next` as `cursor`.',
    query: entriesQuery,
    response: { schema: pageOf(RegisterEntrySchema) },
  })
  @Can('read', 'RegisterEntry')
  list(@Auth() auth: RequestAuth, @Input.query() query: EntriesQuery) {
    return this.read(auth, { kind: 'entries', query });
  }

  @Operation({
    route: 'GET entries/:id',
    id: 'getRegisterEntry',
    summary: { ja: '名簿の登録', en: 'A register entry' },
    params: { id },
    response: { schema: RegisterEntrySchema },
    errors: [404],
  })
  @Can('read', 'RegisterEntry')
  entry(@Auth() auth: RequestAuth, @Input.param('id') entryId: string) {
    return this.read(auth, { kind: 'entry', id: entryId });
  }

  @Operation({
    route: 'POST entries/:id/actions/:action',
    id: 'actOnRegisterEntry',
    summary: { ja: '登録を進める（案内送付・発送済み・登録・辞退・更新案内・更新・削除）', en: 'Move an entry: send-notice, mark-mailed, register, decline, send-renewal, renew, remove' },
    description: 'register and renew need `provision`; remove needs `reason`. The version read goes in `version` or If-Match.',
    params: { id, action: entryActionParam },
    body: entryActionBodySchema,
    headers: IF_MATCH,
    response: { status: 200, schema: RegisterEntryMovedSchema },
    errors: [404],
  })
  @Can('update', 'RegisterEntry')
  act(
    @Auth() auth: RequestAuth,
    @Input.param('id') entryId: string,
    @Input.param('action') action: z.infer<typeof entryActionParam>,
    @Input.body() body: z.infer<typeof entryActionBodySchema>,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnEntryCommand(auth, entryId, action, expectedVersion(body.version, ifMatch), body));
  }

  @Operation({
    route: 'PUT entries/:id/plan',
    id: 'saveEvacuationPlan',
    summary: { ja: '個別避難計画を作る・直す（避難支援等実施者・避難場所・経路・配慮事項・服薬）', en: 'Save the evacuation plan (個別避難計画): helper (with their consent), shelter, route, care notes, medication' },
    description: 'Only with the person’s consent, for a registered entry. `version` is the plan’s (0 for a new one).',
    params: { id },
    body: planSchema,
    response: { schema: EvacuationPlanSavedSchema },
    errors: [404, 409],
  })
  @Can('update', 'EvacuationPlan')
  plan(@Auth() auth: RequestAuth, @Input.param('id') entryId: string, @Input.body() body: PlanInput) {
    return this.commands.execute(new SavePlanForEntryCommand(auth, entryId, body));
  }

  @Operation({
    route: 'POST notices',
    id: 'sendRegisterNotices',
    summary: { ja: '要件に該当する候補者に登録案内を送る（全員、または指定した登録）', en: 'Send the 登録案内 to eligible candidates (all, or the entries given)' },
    body: bulkNoticeSchema,
    response: { status: 200, schema: NoticesSentSchema },
  })
  @Can('update', 'RegisterEntry')
  // Up to 5,000 entry ids.
  @AcceptsBody({ type: 'json', limit: 256 * 1024 })
  sendNotices(@Auth() auth: RequestAuth, @Input.body() body: z.infer<typeof bulkNoticeSchema>) {
    return this.commands.execute(new SendNoticesCommand(auth, 'send', body.entryIds));
  }

  @Operation({
    route: 'GET notices.csv',
    id: 'downloadRegisterNotices',
    summary: { ja: '印刷する登録案内（差し込み印刷用CSV）', en: 'The notices to print: a CSV for mail merge' },
    description: 'Every entry whose notice is to be sent, whole, streamed.',
    response: { media: CSV, description: 'UTF-8 with BOM' },
  })
  @Header('Content-Type', CSV_ANSWER)
  @Can('read', 'RegisterEntry')
  noticesCsv(@Auth() auth: RequestAuth) {
    return this.read(auth, { kind: 'notices-csv' });
  }

  @Operation({
    route: 'POST notices/actions/mark-mailed',
    id: 'markRegisterNoticesMailed',
    summary: { ja: '登録案内を発送した（回答待ちへ）', en: 'The mail merge went out: the entries wait for answers' },
    response: { status: 200, schema: NoticesSentSchema },
  })
  @Can('update', 'RegisterEntry')
  markMailed(@Auth() auth: RequestAuth) {
    return this.commands.execute(new SendNoticesCommand(auth, 'mailed'));
  }

  @Operation({
    route: 'GET roster',
    id: 'listRoster',
    summary: { ja: '支援者に提供する地区の名簿', en: "A supporter's roster of their 地区" },
    description: `${ROSTER_PROVISION} Each page is its own provision. Withheld fields are null and named in \`withheldFields\`. Paged: pass \`next\` as \`cursor\`.`,
    query: rosterPageQuery,
    response: { schema: pageOf(RosterRowSchema) },
  })
  @Can('read', 'Roster')
  roster(@Auth() auth: RequestAuth, @Input.query() query: RosterPageQuery) {
    return this.read(auth, { kind: 'roster', provision: 'roster_view', district: query.district, page: query });
  }

  @Operation({
    route: 'GET roster.csv',
    id: 'downloadRoster',
    summary: { ja: '名簿をダウンロードする', en: 'Download the roster' },
    description: `${ROSTER_PROVISION} The whole roster, one provision; withheld cells read （非開示）.`,
    query: rosterQuery,
    response: { media: CSV, description: 'UTF-8 with BOM' },
  })
  @Header('Content-Type', CSV_ANSWER)
  @Can('read', 'Roster')
  rosterCsv(@Auth() auth: RequestAuth, @Input.query() query: RosterQuery) {
    return this.read(auth, { kind: 'roster', provision: 'roster_download', district: query.district, csv: true });
  }

  @Operation({
    route: 'GET roster/:personId',
    id: 'getRosterPerson',
    summary: { ja: '名簿の一人', en: 'One person of the roster' },
    description: `${ROSTER_PROVISION} A person this caller has no basis for: 403, audited.`,
    params: { personId: id },
    response: { schema: RosterRowSchema },
  })
  @Can('read', 'Roster')
  rosterPerson(@Auth() auth: RequestAuth, @Input.param('personId') personId: string) {
    return this.read(auth, { kind: 'roster', provision: 'roster_view', personId });
  }

  @Operation({
    route: 'GET plans',
    id: 'listEvacuationPlans',
    summary: { ja: '名簿と同じく提供する個別避難計画', en: 'Evacuation plans (個別避難計画), shared like the roster' },
    description: `In normal times only with the person’s and the helper’s consent (DMA_PLAN_NORMAL); in a declared disaster every plan of its 地区 (DMA_PLAN_DISASTER). ${ROSTER_PROVISION} Paged: pass \`next\` as \`cursor\`.`,
    query: rosterPageQuery,
    response: { schema: pageOf(RosterRowSchema) },
  })
  @Can('read', 'Roster')
  plans(@Auth() auth: RequestAuth, @Input.query() query: RosterPageQuery) {
    return this.read(auth, { kind: 'roster', provision: 'plans', district: query.district, page: query });
  }

  @Operation({
    route: 'GET disasters',
    id: 'listDisasters',
    summary: { ja: '宣言中の災害', en: 'The disasters declared and not yet closed' },
    description: 'Oldest first. Paged: pass `next` as `cursor`.',
    query: pageQuery,
    response: { schema: pageOf(DisasterSchema) },
  })
  @Can('read', 'Disaster')
  disasters(@Auth() auth: RequestAuth, @Input.query() page: PageParams) {
    return this.read(auth, { kind: 'disasters', page });
  }

  @Operation({
    route: 'POST disasters',
    id: 'declareDisaster',
    summary: { ja: '地区に災害を宣言する（安心安全課）：その地区の名簿は災害時の提供へ', en: 'Declare a disaster for some 地区 (安心安全課): rosters switch to DMA_ROSTER_DISASTER there' },
    body: disasterSchema,
    response: { status: 201, schema: DisasterChangedSchema },
  })
  @Can('create', 'Disaster')
  declare(@Auth() auth: RequestAuth, @Input.body() body: z.infer<typeof disasterSchema>) {
    return this.commands.execute(new DisasterCommand(auth, body));
  }

  @Operation({
    route: 'POST disasters/:id/actions/close',
    id: 'closeDisaster',
    summary: { ja: '災害を終了する：名簿は平常時の提供に戻る', en: 'Close a disaster: rosters return to normal-time provision' },
    params: { id },
    response: { status: 200, schema: DisasterChangedSchema },
    errors: [404],
  })
  @Can('update', 'Disaster')
  close(@Auth() auth: RequestAuth, @Input.param('id') disasterId: string) {
    return this.commands.execute(new DisasterCommand(auth, null, disasterId));
  }

  @Operation({
    route: 'POST renewal-campaigns',
    id: 'startRenewalCampaign',
    summary: { ja: '年次更新を始める（登録者全員に更新案内、裏で実行）', en: 'Start the yearly renewal: notices to everyone registered, in the background' },
    body: renewalSchema,
    response: { status: 201, schema: RenewalCampaignStartedSchema },
  })
  @Can('update', 'RegisterEntry')
  renew(@Auth() auth: RequestAuth, @Input.body() body: z.infer<typeof renewalSchema>) {
    return this.commands.execute(new StartRenewalCommand(auth, body.year));
  }

  @Operation({
    route: 'GET renewal-campaigns/:id',
    id: 'getRenewalCampaign',
    summary: { ja: '年次更新の進み具合と結果', en: 'A renewal campaign: its progress and report' },
    params: { id },
    response: { schema: RenewalCampaignSchema },
    errors: [404],
  })
  @Can('read', 'RegisterEntry')
  campaign(@Auth() auth: RequestAuth, @Input.param('id') campaignId: string) {
    return this.read(auth, { kind: 'campaign', id: campaignId });
  }

  @Operation({
    route: 'GET return-tasks',
    id: 'listReturnTasks',
    summary: { ja: '支援者が返却・廃棄すべき名簿情報（削除された人）', en: "A supporter's tasks to return or destroy removed people's data" },
    description: 'Oldest first. Paged: pass `next` as `cursor`.',
    query: pageQuery,
    response: { schema: pageOf(ReturnTaskSchema) },
  })
  @Can('read', 'ReturnTask')
  returnTasks(@Auth() auth: RequestAuth, @Input.query() page: PageParams) {
    return this.read(auth, { kind: 'return-tasks', page });
  }

  @Operation({
    route: 'POST return-tasks/:id/actions/done',
    id: 'completeReturnTask',
    summary: { ja: '返却・廃棄した', en: 'The data was returned or destroyed' },
    params: { id },
    response: { status: 200, schema: ReturnTaskDoneSchema },
    errors: [404],
  })
  @Can('update', 'ReturnTask')
  returnDone(@Auth() auth: RequestAuth, @Input.param('id') taskId: string) {
    return this.commands.execute(new CompleteReturnTaskCommand(auth, taskId));
  }

  @Operation({
    route: 'GET figures',
    id: 'getRegisterFigures',
    summary: { ja: '地区別・全体の集計（名簿掲載数、平常時提供率、個別避難計画作成率、回答待ち）', en: 'Per 地区 and overall: listed, shared in normal times (%), plans made (%), pending answers' },
    description: 'One row per 地区 and one for all: bounded by the tenant’s 地区, not paged.',
    response: { schema: RegisterFiguresSchema },
  })
  @Can('read', 'RegisterEntry')
  figures(@Auth() auth: RequestAuth) {
    return this.read(auth, { kind: 'figures' });
  }
}
