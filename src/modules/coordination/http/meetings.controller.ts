import { Body, Controller, Get, Headers, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { expectedVersion } from '../../../platform/http/expected-version';
import { listLimitQuery, type ListLimit } from '../../../platform/http/list-limit';
import { UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { AddMemberCommand } from '../commands/add-member/add-member';
import { ConveneMeetingCommand } from '../commands/convene-meeting/convene-meeting';
import { RecordDecisionCommand } from '../commands/record-decision/record-decision';
import { RecordMinutesCommand } from '../commands/record-minutes/record-minutes';
import { ShareWithMeetingCommand } from '../commands/share-with-meeting/share-with-meeting';
import { addMemberSchema, conveneSchema, decisionSchema, minutesSchema, shareWithMeetingSchema, type AddMemberInput, type ShareWithMeetingInput } from '../domain/coordination.schemas';
import { GetMeetingCaseQuery, GetMeetingQuery, ListMeetingsQuery } from '../queries/meeting-queries';
import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('meetings')
export class MeetingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Can('create', 'Meeting')
  @ApiOperation({ summary: 'Convene a 支援会議 (shien_kaigi) or 重層的支援会議 (juso_kaigi)' })
  @ApiBody({ schema: openApiBody(conveneSchema) })
  convene(@Auth() auth: RequestAuth, @Body(validate(conveneSchema)) body: z.infer<typeof conveneSchema>) {
    return this.commands.execute(new ConveneMeetingCommand(auth, body));
  }

  @Get()
  @Can('read', 'Meeting')
  @ApiOperation({ summary: 'The meetings you may see (members while their access lasts; auditors: metadata), newest first, at most `limit` (default 50, max 200)' })
  list(@Auth() auth: RequestAuth, @Query(validate(listLimitQuery)) query: ListLimit) {
    return this.queries.execute(new ListMeetingsQuery(auth, query.limit));
  }

  @Get(':id')
  @Can('read', 'Meeting')
  @ApiOperation({ summary: 'The meeting: members, cases, decisions, minutes (members and auditors only)' })
  get(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new GetMeetingQuery(auth, id));
  }

  @Post(':id/members')
  @Can('update', 'Meeting')
  @ApiOperation({ summary: 'Add a member (staff or external body); a 支援会議 needs the 守秘義務 acknowledgment' })
  @ApiBody({ schema: openApiBody(addMemberSchema) })
  addMember(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(addMemberSchema)) body: AddMemberInput) {
    return this.commands.execute(new AddMemberCommand(auth, id, body));
  }

  @Post(':id/cases')
  @Can('update', 'Meeting')
  @ApiOperation({ summary: 'Share chosen items of a coordination case with the members (basis SWA_SHIEN_KAIGI or SWA_JUSO_KAIGI)' })
  @ApiBody({ schema: openApiBody(shareWithMeetingSchema) })
  share(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(shareWithMeetingSchema)) body: ShareWithMeetingInput) {
    return this.commands.execute(new ShareWithMeetingCommand(auth, id, body));
  }

  @Get(':id/cases/:caseId')
  @Can('read', 'Meeting')
  @ApiOperation({ summary: 'What was shared about a case at this meeting: members, until access lapses (audited)' })
  sharedCase(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Param('caseId', UuidParam) caseId: string) {
    return this.queries.execute(new GetMeetingCaseQuery(auth, id, caseId));
  }

  @Post(':id/decisions')
  @Can('update', 'Meeting')
  @ApiOperation({ summary: 'Record a decision (who watches, who reaches out)' })
  @ApiBody({ schema: openApiBody(decisionSchema) })
  decide(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(decisionSchema)) body: z.infer<typeof decisionSchema>) {
    return this.commands.execute(new RecordDecisionCommand(auth, id, body));
  }

  @Put(':id/minutes')
  @Can('update', 'Meeting')
  @ApiOperation({ summary: '議事録 — the minutes (closed)' })
  @ApiBody({ schema: openApiBody(minutesSchema) })
  minutes(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(minutesSchema)) body: z.infer<typeof minutesSchema>, @Headers('if-match') ifMatch?: string) {
    return this.commands.execute(new RecordMinutesCommand(auth, id, expectedVersion(body.version, ifMatch), body.minutes));
  }
}
