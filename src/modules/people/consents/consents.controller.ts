import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { IF_MATCH, Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { expectedVersion } from '../../../platform/http/expected-version';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { RecordPersonConsentCommand, WithdrawPersonConsentCommand } from './consent-commands';
import { ListPersonConsentsQuery, ListPersonDisclosuresQuery } from './consent-queries';
import {
  personConsentsQuery,
  personDisclosuresQuery,
  recordPersonConsentSchema,
  withdrawPersonConsentSchema,
  type PersonListPage,
  type RecordPersonConsentInput,
  type WithdrawPersonConsentInput,
} from './consent.schemas';
import { PersonConsentPageSchema, PersonConsentWrittenSchema, PersonDisclosurePageSchema } from './consent.responses';

const id = z.uuid();

/** 本人同意 per person and the disclosures made of them, under the people tag. */
@ApiTags('people')
@ApiBearerAuth()
@Controller('people')
export class PersonConsentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Operation({
    route: 'POST :id/consents',
    id: 'recordPersonConsent',
    summary: { ja: '本人同意を記録（提供先・項目群・目的・日付・方法・終了日）', en: 'Record the person’s consent: recipients, field groups, purpose, date, method, optional end' },
    description:
      'Recipients: departments, a kind of meeting, or the 避難支援等関係者 of a 地区 (or of all). Referrals, meetings and rosters on consent check it per person. ' +
      'An end before the date given answers 422, nothing written.',
    params: { id },
    body: recordPersonConsentSchema,
    response: { status: 201, schema: PersonConsentWrittenSchema },
    errors: [404, 422],
  })
  @Can('create', 'PersonConsent')
  record(@Auth() auth: RequestAuth, @Input.param('id') personId: string, @Input.body() body: RecordPersonConsentInput) {
    return this.commands.execute(new RecordPersonConsentCommand(auth, personId, body));
  }

  @Operation({
    route: 'GET :id/consents',
    id: 'listPersonConsents',
    summary: { ja: 'この人の本人同意（有効・終了・撤回済み、閲覧を監査記録）', en: 'The person’s consents, live and past (the read is audited)' },
    description: 'Oldest first; paged: pass `next` as `cursor`.',
    params: { id },
    query: personConsentsQuery,
    response: { schema: PersonConsentPageSchema },
    errors: [404],
  })
  @Can('read', 'PersonConsent')
  list(@Auth() auth: RequestAuth, @Input.param('id') personId: string, @Input.query() query: PersonListPage) {
    return this.queries.execute(new ListPersonConsentsQuery(auth, personId, query));
  }

  @Operation({
    route: 'POST :id/consents/:consentId/actions/withdraw',
    id: 'withdrawPersonConsent',
    summary: { ja: '本人同意の撤回 — 以後の提供は直ちに止まる', en: 'Withdraw a consent: no disclosure rests on it from now on' },
    description: 'The version read goes in `version` or If-Match; a stale one answers 409. Disclosures made before stay on record.',
    params: { id, consentId: id },
    body: withdrawPersonConsentSchema,
    headers: IF_MATCH,
    response: { status: 200, schema: PersonConsentWrittenSchema },
    errors: [404, 409, 422],
  })
  @Can('withdraw', 'PersonConsent')
  withdraw(
    @Auth() auth: RequestAuth,
    @Input.param('id') personId: string,
    @Input.param('consentId') consentId: string,
    @Input.body() body: WithdrawPersonConsentInput,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new WithdrawPersonConsentCommand(auth, personId, consentId, expectedVersion(body.version, ifMatch), body));
  }

  @Operation({
    route: 'GET :id/disclosures',
    id: 'listPersonDisclosures',
    summary: { ja: 'この人の情報の提供記録（誰に・いつ・どの項目を・根拠・提供者、閲覧を監査記録）', en: 'Every disclosure made of the person: to whom, when, which fields, basis, by whom (the read is audited)' },
    description: 'From the receipts: referrals’ and 情報照会’s packages, meetings, roster provisions. Newest first; paged: pass `next` as `cursor`.',
    params: { id },
    query: personDisclosuresQuery,
    response: { schema: PersonDisclosurePageSchema },
    errors: [404],
  })
  @Can('read', 'PersonDisclosure')
  disclosures(@Auth() auth: RequestAuth, @Input.param('id') personId: string, @Input.query() query: PersonListPage) {
    return this.queries.execute(new ListPersonDisclosuresQuery(auth, personId, query));
  }
}
