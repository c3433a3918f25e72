import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { expectedVersion } from '../../../platform/http/expected-version';
import { UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { CheckIntakeCommand } from '../commands/check-intake/check-intake';
import { CorrectPersonCommand } from '../commands/correct-person/correct-person';
import { correctPersonSchema, findPeopleQuery, intakeCheckSchema, type CorrectPersonInput, type FindPeopleInput, type IntakeCheckInput } from '../domain/people.schemas';
import { FindPeopleQuery } from '../queries/find-people';
import { GetPersonQuery, PersonHistoryQuery } from '../queries/get-person';

import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';

@ApiTags('people')
@ApiBearerAuth()
@Controller('people')
export class PeopleController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Can('read', 'Person')
  @ApiOperation({ summary: 'Find people your department holds: name/kana (normalised), birth date, 宛名番号, phone, address; { items, next } (audited with its terms)' })
  find(@Auth() auth: RequestAuth, @Query(validate(findPeopleQuery)) query: FindPeopleInput) {
    return this.queries.execute(new FindPeopleQuery(auth, query));
  }

  @Post('intake-checks')
  @HttpCode(200)
  @Can('create', 'IntakeCheck')
  @ApiOperation({ summary: '断らない相談 — is this person already known? Answers only which departments hold a record (audited with its reason)' })
  @ApiBody({ schema: openApiBody(intakeCheckSchema) })
  checkIntake(@Auth() auth: RequestAuth, @Body(validate(intakeCheckSchema)) body: IntakeCheckInput) {
    return this.commands.execute(new CheckIntakeCommand(auth, body));
  }

  @Get(':id')
  @Can('read', 'Person')
  @ApiOperation({ summary: 'A person as your department holds them (held fields only; withheldFields lists the rest)' })
  get(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new GetPersonQuery(auth, id));
  }

  @Get(':id/history')
  @Can('read', 'Person')
  @ApiOperation({ summary: 'Corrections of the fields your department holds: who, when, old → new, why' })
  history(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new PersonHistoryQuery(auth, id));
  }

  @Patch(':id')
  @Can('update', 'Person')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, instead of body.version' })
  @ApiOperation({ summary: '訂正 — correct fields your department holds, on the version you read (409 when stale), with a reason' })
  @ApiBody({ schema: openApiBody(correctPersonSchema) })
  correct(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(correctPersonSchema)) body: CorrectPersonInput, @Headers('if-match') ifMatch?: string) {
    return this.commands.execute(new CorrectPersonCommand(auth, id, expectedVersion(body.version, ifMatch), body));
  }
}
