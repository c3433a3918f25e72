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
import { ActOnReferralCommand } from '../commands/act-on-referral/act-on-referral.command';
import { ReferCaseCommand } from '../commands/refer-case/refer-case.command';
import {
  referCaseSchema,
  referralActionBodySchema,
  referralActionParam,
  referralListQuery,
  type ReferCaseInput,
  type ReferralAction,
  type ReferralActionBody,
  type ReferralListQuery,
} from '../domain/referral.schemas';
import { GetReferralQuery, ListReferralsQuery } from '../queries/referral-queries';
import { ReferralDetailSchema, ReferralSummarySchema } from './referral.responses';

const id = z.uuid();

@ApiTag('referrals', { ja: 'つなぎ — 部署間の依頼と応答', en: 'Referrals: one department asks another to take on part of a case' })
@ApiBearerAuth()
@Controller()
export class ReferralsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Operation({
    route: 'POST cases/:id/referrals',
    id: 'referCase',
    summary: { ja: 'ケースの一部を他部署につなぐ（選んだ項目を根拠に基づき共有）', en: 'Refer part of a case to another department, sharing chosen fields on a legal basis' },
    params: { id },
    body: referCaseSchema,
    response: { status: 201, schema: ReferralSummarySchema },
    errors: [404],
  })
  @Can('refer', 'Case')
  refer(@Auth() auth: RequestAuth, @Input.param('id') caseId: string, @Input.body() body: ReferCaseInput) {
    return this.commands.execute(new ReferCaseCommand(auth, caseId, body));
  }

  @Operation({
    route: 'GET referrals',
    id: 'listReferrals',
    summary: { ja: '自部署の依頼一覧（受信・送信）', en: "My departments' referral queue, incoming or outgoing" },
    description: 'Soonest deadline first. Paged: pass `next` as `cursor`.',
    query: referralListQuery,
    response: { schema: pageOf(ReferralSummarySchema) },
  })
  @Can('read', 'Referral')
  list(@Auth() auth: RequestAuth, @Input.query() query: ReferralListQuery) {
    return this.queries.execute(new ListReferralsQuery(auth, query));
  }

  @Operation({
    route: 'GET referrals/:id',
    id: 'getReferral',
    summary: { ja: '依頼と共有された内容（人ごとに根拠とともに監査記録）', en: 'A referral with exactly what was shared (audited per person, with its legal basis)' },
    params: { id },
    response: { schema: ReferralDetailSchema },
    errors: [404],
  })
  @Can('read', 'Referral')
  get(@Auth() auth: RequestAuth, @Input.param('id') referralId: string) {
    return this.queries.execute(new GetReferralQuery(auth, referralId));
  }

  @Operation({
    route: 'POST referrals/:id/actions/:action',
    id: 'actOnReferral',
    summary: {
      ja: '依頼に応答する（受理・辞退・開始・保留・再開・完了、送信側は取下げ・再申請、送信側の課長は承認・差戻し）',
      en: 'Answer a referral: accept, decline, start, hold, resume, complete — withdraw or resubmit as the sender, approve or return as its manager',
    },
    description:
      'decline, hold and return need `reason`; complete needs `outcome` (and may take `note`); resubmit may revise `purpose`, `legalBasisReason` and `share`. approve and return are for a manager of the sending department on a share awaiting approval (APPI_SPECIAL), never its preparer. The version read goes in `version` or If-Match.',
    params: { id, action: referralActionParam },
    body: referralActionBodySchema,
    headers: IF_MATCH,
    response: { status: 200, schema: ReferralSummarySchema },
    errors: [404],
  })
  @Can('read', 'Referral')
  act(
    @Auth() auth: RequestAuth,
    @Input.param('id') referralId: string,
    @Input.param('action') action: ReferralAction,
    @Input.body() body: ReferralActionBody,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnReferralCommand(auth, referralId, action, expectedVersion(body.version, ifMatch), body));
  }
}
