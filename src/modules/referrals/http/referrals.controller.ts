import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { expectedVersion } from '../../../platform/http/expected-version';
import { UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { ActOnReferralCommand } from '../commands/act-on-referral/act-on-referral.command';
import { ReferCaseCommand } from '../commands/refer-case/refer-case.command';
import {
  referCaseSchema,
  referralActionBodySchema,
  referralActionParam,
  referralBoxQuery,
  type ReferCaseInput,
  type ReferralAction,
  type ReferralActionBody,
} from '../domain/referral.schemas';
import { GetReferralQuery, ListReferralsQuery } from '../queries/referral-queries';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input' }) as object;

@ApiTags('referrals')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries of a POST with the same key return the first result' })
@Controller()
export class ReferralsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('cases/:id/referrals')
  @Can('refer', 'Case')
  @ApiOperation({ summary: 'つなぎ — refer part of a case to another department, sharing chosen fields on a legal basis' })
  @ApiBody({ schema: schema(referCaseSchema) })
  refer(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(referCaseSchema)) body: ReferCaseInput) {
    return this.commands.execute(new ReferCaseCommand(auth, id, body));
  }

  @Get('referrals')
  @Can('read', 'Referral')
  @ApiOperation({ summary: "My departments' referral queue: box=incoming or box=outgoing" })
  list(@Auth() auth: RequestAuth, @Query(validate(referralBoxQuery)) query: z.infer<typeof referralBoxQuery>) {
    return this.queries.execute(new ListReferralsQuery(auth, query.box));
  }

  @Get('referrals/:id')
  @Can('read', 'Referral')
  @ApiOperation({ summary: 'A referral with exactly what was shared (audited per person, with its legal basis)' })
  get(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new GetReferralQuery(auth, id));
  }

  @Post('referrals/:id/actions/:action')
  @HttpCode(200)
  @Can('read', 'Referral')
  @ApiOperation({ summary: 'accept, decline (reason), start, hold (reason), resume, complete (outcome, note) — or withdraw as the sender' })
  @ApiBody({ schema: schema(referralActionBodySchema) })
  act(
    @Auth() auth: RequestAuth,
    @Param('id', UuidParam) id: string,
    @Param('action', validate(referralActionParam)) action: ReferralAction,
    @Body(validate(referralActionBodySchema)) body: ReferralActionBody,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnReferralCommand(auth, id, action, expectedVersion(body.version, ifMatch), body));
  }
}
