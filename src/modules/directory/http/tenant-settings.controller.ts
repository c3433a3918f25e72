import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth } from '@nestjs/swagger';
import { IF_MATCH, Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { expectedVersion } from '../../../platform/http/expected-version';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { UpdateTenantSettingsCommand } from '../commands/update-tenant-settings/update-tenant-settings';
import { updateTenantSettingsSchema, type UpdateTenantSettingsInput } from '../domain/tenant-settings.schemas';
import { GetTenantSettingsQuery } from '../queries/tenant-settings.queries';
import { DirectoryTag } from './directory-tag';
import { TenantSettingsSchema } from './tenant-settings.responses';

@DirectoryTag()
@ApiBearerAuth()
@Controller()
export class TenantSettingsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Operation({
    route: 'GET tenant/settings',
    id: 'getTenantSettings',
    summary: { ja: '自治体の設定（管理者）：名称、依頼の回答期限と猶予の営業日数、版', en: "The tenant's settings (administrators): name, referral answer and grace days, version" },
    description: '`settingsElsewhere` names the routes of the settings other modules version themselves.',
    response: { schema: TenantSettingsSchema },
  })
  @Can('read', 'TenantSettings')
  get(@Auth() auth: RequestAuth) {
    return this.queries.execute(new GetTenantSettingsQuery(auth));
  }

  @Operation({
    route: 'PATCH tenant/settings',
    id: 'updateTenantSettings',
    summary: { ja: '自治体の設定を変更する（管理者、読んだ版を指定、変更前後を監査記録）', en: "Change the tenant's settings (administrators), on the version read; audited old → new" },
    description: 'The version read goes in `version` or If-Match (stale → 409).',
    body: updateTenantSettingsSchema,
    headers: IF_MATCH,
    response: { status: 200, schema: TenantSettingsSchema },
    errors: [409],
  })
  @Can('update', 'TenantSettings')
  update(@Auth() auth: RequestAuth, @Input.body() body: UpdateTenantSettingsInput, @Input.header('if-match') ifMatch?: string) {
    const { version, ...changes } = body;
    return this.commands.execute(new UpdateTenantSettingsCommand(auth, expectedVersion(version, ifMatch), changes));
  }
}
