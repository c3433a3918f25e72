import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';
import { Body, Controller, Get, Headers, Patch } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { expectedVersion } from '../../../platform/http/expected-version';
import { validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { UpdateTenantSettingsCommand } from '../commands/update-tenant-settings/update-tenant-settings';
import { updateTenantSettingsSchema, type UpdateTenantSettingsInput } from '../domain/tenant-settings.schemas';
import { GetTenantSettingsQuery } from '../queries/tenant-settings.queries';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('tenant/settings')
export class TenantSettingsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  @Can('read', 'TenantSettings')
  @ApiOperation({ summary: "The tenant's settings (administrators): name, referral answer days, grace days, version; where the other settings live" })
  get(@Auth() auth: RequestAuth) {
    return this.queries.execute(new GetTenantSettingsQuery(auth));
  }

  @Patch()
  @Can('update', 'TenantSettings')
  @ApiOperation({ summary: "Change the tenant's settings (administrators); send the version you read, in the body or If-Match (409 if stale); audited old → new" })
  @ApiBody({ schema: openApiBody(updateTenantSettingsSchema) })
  update(@Auth() auth: RequestAuth, @Body(validate(updateTenantSettingsSchema)) body: UpdateTenantSettingsInput, @Headers('if-match') ifMatch?: string) {
    const { version, ...changes } = body;
    return this.commands.execute(new UpdateTenantSettingsCommand(auth, expectedVersion(version, ifMatch), changes));
  }
}
