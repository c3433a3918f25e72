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
import { AddMemberCommand } from '../commands/add-member/add-member';
import { ConveneMeetingCommand } from '../commands/convene-meeting/convene-meeting';
import { RecordDecisionCommand } from '../commands/record-decision/record-decision';
import { RecordMinutesCommand } from '../commands/record-minutes/record-minutes';
import { ShareWithMeetingCommand } from '../commands/share-with-meeting/share-with-meeting';
import {
  addMemberSchema,
  conveneSchema,
  decisionSchema,
  meetingListQuery,
  minutesSchema,
  shareWithMeetingSchema,
  type AddMemberInput,
  type MeetingListQuery,
  type ShareWithMeetingInput,
} from '../domain/coordination.schemas';
import { GetMeetingCaseQuery, GetMeetingQuery, ListMeetingsQuery } from '../queries/meeting-queries';
import { CoordinationRecordRefSchema } from './coordination.responses';
import { CaseSharedWithMeetingSchema, ConvenedMeetingSchema, MeetingDecisionSchema, MeetingRecordSchema, MeetingShareSchema, MeetingSummarySchema, MeetingVersionSchema } from './meeting.responses';

const id = z.uuid();

@ApiTag('meetings', { ja: '支援会議・重層的支援会議 — 構成員、共有、決定、議事録', en: 'Support meetings (支援会議, 重層的支援会議): members, what is shared, decisions, minutes' })
@ApiBearerAuth()
@Controller('meetings')
export class MeetingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Operation({
    route: 'POST ',
    id: 'conveneMeeting',
    summary: { ja: '支援会議または重層的支援会議を招集する', en: 'Convene a support meeting (shien_kaigi) or a multi-layered support meeting (juso_kaigi)' },
    body: conveneSchema,
    response: { status: 201, schema: ConvenedMeetingSchema },
  })
  @Can('create', 'Meeting')
  convene(@Auth() auth: RequestAuth, @Input.body() body: z.infer<typeof conveneSchema>) {
    return this.commands.execute(new ConveneMeetingCommand(auth, body));
  }

  @Operation({
    route: 'GET ',
    id: 'listMeetings',
    summary: { ja: '閲覧できる会議（構成員は閲覧期限まで、監査担当は概要のみ）', en: 'The meetings you may see (members while their access lasts; auditors: metadata)' },
    description: 'By the day held. Paged: pass `next` as `cursor`.',
    query: meetingListQuery,
    response: { schema: pageOf(MeetingSummarySchema) },
  })
  @Can('read', 'Meeting')
  list(@Auth() auth: RequestAuth, @Input.query() query: MeetingListQuery) {
    return this.queries.execute(new ListMeetingsQuery(auth, query));
  }

  @Operation({
    route: 'GET :id',
    id: 'getMeeting',
    summary: { ja: '会議の記録（構成員、ケース、決定、議事録。構成員と監査担当のみ）', en: 'The meeting: members, cases, decisions, minutes (members and auditors only)' },
    params: { id },
    response: { schema: MeetingRecordSchema },
    errors: [404],
  })
  @Can('read', 'Meeting')
  get(@Auth() auth: RequestAuth, @Input.param('id') meetingId: string) {
    return this.queries.execute(new GetMeetingQuery(auth, meetingId));
  }

  @Operation({
    route: 'POST :id/members',
    id: 'addMeetingMember',
    summary: { ja: '構成員を加える（職員または外部機関。支援会議は守秘義務の確認が必要）', en: 'Add a member (staff or an external body); a 支援会議 needs the confidentiality acknowledgment' },
    params: { id },
    body: addMemberSchema,
    response: { status: 201, schema: CoordinationRecordRefSchema },
    errors: [404],
  })
  @Can('update', 'Meeting')
  addMember(@Auth() auth: RequestAuth, @Input.param('id') meetingId: string, @Input.body() body: AddMemberInput) {
    return this.commands.execute(new AddMemberCommand(auth, meetingId, body));
  }

  @Operation({
    route: 'POST :id/cases',
    id: 'shareCaseWithMeeting',
    summary: { ja: '協働ケースの選んだ項目を構成員と共有する（根拠 SWA_SHIEN_KAIGI または SWA_JUSO_KAIGI）', en: 'Share chosen items of a coordination case with the members (basis SWA_SHIEN_KAIGI or SWA_JUSO_KAIGI)' },
    params: { id },
    body: shareWithMeetingSchema,
    response: { status: 201, schema: MeetingShareSchema },
    errors: [404],
  })
  @Can('update', 'Meeting')
  share(@Auth() auth: RequestAuth, @Input.param('id') meetingId: string, @Input.body() body: ShareWithMeetingInput) {
    return this.commands.execute(new ShareWithMeetingCommand(auth, meetingId, body));
  }

  @Operation({
    route: 'GET :id/cases/:caseId',
    id: 'getCaseSharedWithMeeting',
    summary: { ja: 'この会議で共有されたケースの内容（構成員のみ・閲覧期限まで・監査記録）', en: 'What was shared about a case at this meeting: members only, until access lapses (audited)' },
    params: { id, caseId: z.uuid() },
    response: { schema: CaseSharedWithMeetingSchema },
    errors: [404],
  })
  @Can('read', 'Meeting')
  sharedCase(@Auth() auth: RequestAuth, @Input.param('id') meetingId: string, @Input.param('caseId') caseId: string) {
    return this.queries.execute(new GetMeetingCaseQuery(auth, meetingId, caseId));
  }

  @Operation({
    route: 'POST :id/decisions',
    id: 'recordMeetingDecision',
    summary: { ja: '会議の決定を記録する（見守り・アウトリーチの担当）', en: 'Record a decision (who watches, who reaches out)' },
    params: { id },
    body: decisionSchema,
    response: { status: 201, schema: MeetingDecisionSchema },
    errors: [404],
  })
  @Can('update', 'Meeting')
  decide(@Auth() auth: RequestAuth, @Input.param('id') meetingId: string, @Input.body() body: z.infer<typeof decisionSchema>) {
    return this.commands.execute(new RecordDecisionCommand(auth, meetingId, body));
  }

  @Operation({
    route: 'PUT :id/minutes',
    id: 'recordMeetingMinutes',
    summary: { ja: '議事録を記録する（非公開）', en: 'Record the minutes (closed)' },
    params: { id },
    body: minutesSchema,
    headers: IF_MATCH,
    response: { status: 200, schema: MeetingVersionSchema },
    errors: [404, 409],
  })
  @Can('update', 'Meeting')
  minutes(@Auth() auth: RequestAuth, @Input.param('id') meetingId: string, @Input.body() body: z.infer<typeof minutesSchema>, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new RecordMinutesCommand(auth, meetingId, expectedVersion(body.version, ifMatch), body.minutes));
  }
}
