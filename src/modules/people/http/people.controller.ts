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
import { CheckIntakeCommand } from '../commands/check-intake/check-intake';
import { CorrectPersonCommand } from '../commands/correct-person/correct-person';
import { MergePersonCommand } from '../commands/merge-person/merge-person';
import { UndoMergeCommand } from '../commands/merge-person/undo-merge';
import {
  correctPersonSchema,
  findPeopleQuery,
  intakeCheckSchema,
  mergePersonSchema,
  personPageQuery,
  undoMergeSchema,
  type CorrectPersonInput,
  type MergePersonInput,
  type UndoMergeInput,
  type FindPeopleInput,
  type IntakeCheckInput,
  type PersonPageInput,
} from '../domain/people.schemas';
import { HeldPersonSchema } from '../person-view.schema';
import { FindPeopleQuery } from '../queries/find-people';
import { GetPersonQuery, PersonHistoryQuery } from '../queries/get-person';
import { ListMergesQuery } from '../queries/list-merges';
import { IntakeCheckAnswerSchema, PersonCorrectedSchema, PersonCorrectionSchema, PersonMergeViewSchema, PersonSearchPageSchema } from './people.responses';

const id = z.uuid();

@ApiTag('people', { ja: '人 — 各課が保有する範囲での検索・閲覧・訂正', en: 'People: found, read and corrected as far as your department holds them' })
@ApiBearerAuth()
@Controller('people')
export class PeopleController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Operation({
    route: 'GET ',
    id: 'findPeople',
    summary: { ja: '自部署が保有する人を探す（検索条件とともに監査記録）', en: 'Find people your department holds (audited with the terms)' },
    description:
      'All given terms must match, each on a field your department holds: name/kana (normalised), birth date, 宛名番号, phone, address. ' +
      'Newest record first; paged: pass `next` as `cursor`. Contact terms never match a DV-protected person for anyone but the protectors.',
    query: findPeopleQuery,
    response: { schema: PersonSearchPageSchema },
  })
  @Can('read', 'Person')
  find(@Auth() auth: RequestAuth, @Input.query() query: FindPeopleInput) {
    return this.queries.execute(new FindPeopleQuery(auth, query));
  }

  @Operation({
    route: 'POST intake-checks',
    id: 'checkIntake',
    summary: { ja: '断らない相談 — 既に把握されている人か（保有する課だけを答え、理由とともに監査記録）', en: 'Is this person already known? Answers only which departments hold a record (audited with the reason)' },
    description: 'Name (family and given) with the birth date, or the 宛名番号. A DV-protected person answers like anyone else.',
    body: intakeCheckSchema,
    response: { status: 200, schema: IntakeCheckAnswerSchema },
  })
  @Can('create', 'IntakeCheck')
  checkIntake(@Auth() auth: RequestAuth, @Input.body() body: IntakeCheckInput) {
    return this.commands.execute(new CheckIntakeCommand(auth, body));
  }

  @Operation({
    route: 'GET :id',
    id: 'getPerson',
    summary: { ja: '自部署が保有する範囲の人の情報（閲覧を監査記録）', en: 'A person as your department holds them (held fields only; the read is audited)' },
    description: 'Fields not held or withheld are null and named in `withheldFields`.',
    params: { id },
    response: { schema: HeldPersonSchema },
    errors: [404],
  })
  @Can('read', 'Person')
  get(@Auth() auth: RequestAuth, @Input.param('id') personId: string) {
    return this.queries.execute(new GetPersonQuery(auth, personId));
  }

  @Operation({
    route: 'GET :id/history',
    id: 'listPersonCorrections',
    summary: { ja: '自部署が保有する項目の訂正履歴（誰が・いつ・旧→新・理由）', en: 'Corrections of the fields your department holds: who, when, old → new, why' },
    description: 'Oldest first; paged: pass `next` as `cursor`.',
    params: { id },
    query: personPageQuery,
    response: { schema: pageOf(PersonCorrectionSchema) },
    errors: [404],
  })
  @Can('read', 'Person')
  history(@Auth() auth: RequestAuth, @Input.param('id') personId: string, @Input.query() query: PersonPageInput) {
    return this.queries.execute(new PersonHistoryQuery(auth, personId, query));
  }

  @Operation({
    route: 'PATCH :id',
    id: 'correctPerson',
    summary: { ja: '訂正 — 自部署が保有する項目を、読んだ版に対して理由とともに訂正', en: 'Correct fields your department holds, on the version you read, with a reason' },
    description: 'The version read goes in `version` or If-Match; a stale one answers 409 with the current version.',
    params: { id },
    body: correctPersonSchema,
    headers: IF_MATCH,
    response: { schema: PersonCorrectedSchema },
    errors: [404, 409],
  })
  @Can('update', 'Person')
  correct(@Auth() auth: RequestAuth, @Input.param('id') personId: string, @Input.body() body: CorrectPersonInput, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new CorrectPersonCommand(auth, personId, expectedVersion(body.version, ifMatch), body));
  }

  @Operation({
    route: 'POST :id/merges',
    id: 'mergePerson',
    summary: { ja: '名寄せ — 同一人の重複記録をこの記録へ統合（両方を保有する課の課長、取消可）', en: 'Merge a duplicate record of the same person into this one (manager of a department holding both; can be undone)' },
    description:
      'The survivor (the path) keeps its own values; every case, referral, disclosure receipt, consent, 情報照会, register entry and roster provision of the duplicate ' +
      'moves to it, and the duplicate becomes a tombstone that answers 404. The survivor’s version goes in `version` or If-Match, the duplicate’s in `duplicateVersion`. ' +
      'Merging a record into itself, or two records both on the evacuation register, answers 422.',
    params: { id },
    body: mergePersonSchema,
    headers: IF_MATCH,
    response: { status: 201, schema: PersonMergeViewSchema },
    errors: [404, 409, 422],
  })
  @Can('merge', 'Person')
  merge(@Auth() auth: RequestAuth, @Input.param('id') personId: string, @Input.body() body: MergePersonInput, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new MergePersonCommand(auth, personId, expectedVersion(body.version, ifMatch), body));
  }

  @Operation({
    route: 'GET :id/merges',
    id: 'listPersonMerges',
    summary: { ja: 'この記録への名寄せの一覧（取消のため、両方を保有した課の課長）', en: 'Merges into this record, standing and undone (for managers who may undo them)' },
    description: 'Newest first; paged: pass `next` as `cursor`. No person field: ids, who, why, what moved, until when it can be undone.',
    params: { id },
    query: personPageQuery,
    response: { schema: pageOf(PersonMergeViewSchema) },
    errors: [404],
  })
  @Can('merge', 'Person')
  merges(@Auth() auth: RequestAuth, @Input.param('id') personId: string, @Input.query() query: PersonPageInput) {
    return this.queries.execute(new ListMergesQuery(auth, personId, query));
  }

  @Operation({
    route: 'POST merges/:mergeId/undo',
    id: 'undoPersonMerge',
    summary: { ja: '名寄せの取消 — 移した参照だけを元の記録へ戻す（期間内）', en: 'Undo a merge within its period: exactly the references that moved go back' },
    description: 'By a manager of a department holding the surviving record, on the merge’s version (`version` or If-Match), with a reason.',
    params: { mergeId: id },
    body: undoMergeSchema,
    headers: IF_MATCH,
    response: { status: 200, schema: PersonMergeViewSchema },
    errors: [404, 409, 422],
  })
  @Can('merge', 'Person')
  undoMerge(@Auth() auth: RequestAuth, @Input.param('mergeId') mergeId: string, @Input.body() body: UndoMergeInput, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new UndoMergeCommand(auth, mergeId, expectedVersion(body.version, ifMatch), body));
  }
}
