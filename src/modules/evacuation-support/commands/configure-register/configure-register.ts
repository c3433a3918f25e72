import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { EvacuationSettingsSchema } from '../../domain/register.entity';
import type { RuleSetInput } from '../types';

export class ConfigureRegisterCommand extends Command<{ version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: { version: number; eligibilityRules: RuleSetInput; provisionModel: 'opt_in' | 'ordinance'; ordinanceArticle?: string },
  ) {
    super();
  }
}

@CommandHandler(ConfigureRegisterCommand)
export class ConfigureRegisterHandler implements ICommandHandler<ConfigureRegisterCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, input }: ConfigureRegisterCommand) {
    const tenantId = auth.principal.tenantId;
    assertCan(auth, 'update', 'EvacuationSettings', { tenantId });
    return this.db.inTenant(tenantId, async (em) => {
      const current = await em.findOne(EvacuationSettingsSchema, { tenantId });
      assertVersion({ version: current?.version ?? 0 }, input.version);
      const values = { eligibilityRules: input.eligibilityRules, provisionModel: input.provisionModel, ordinanceArticle: input.ordinanceArticle ?? null };
      const saved = current ? em.assign(current, values) : em.create(EvacuationSettingsSchema, { tenantId, ...values });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'register.configure', subjectType: 'EvacuationSettings', outcome: 'allowed', detail: { provisionModel: input.provisionModel, version: saved.version } });
      return { version: saved.version };
    });
  }
}
