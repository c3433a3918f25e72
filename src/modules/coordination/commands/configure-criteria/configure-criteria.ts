import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { EscalationCriteriaService } from '../../criteria/escalation-criteria.service';
import type { RuleSet } from '../../domain/escalation-criteria';

/** An administrator changes the criteria without a deploy: a new version, open cases re-evaluated under it. */
export class ConfigureCriteriaCommand extends Command<{ version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly rules: RuleSet,
  ) {
    super();
  }
}

@CommandHandler(ConfigureCriteriaCommand)
export class ConfigureCriteriaHandler implements ICommandHandler<ConfigureCriteriaCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly criteria: EscalationCriteriaService,
  ) {}

  execute({ auth, rules }: ConfigureCriteriaCommand) {
    assertCan(auth, 'configure', 'EscalationCriteria', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const version = await this.criteria.configure(em, auth.audit, rules, auth.principal.id);
      await this.audit.append(em, auth.audit, { action: 'coordination.configure-criteria', subjectType: 'EscalationCriteria', subjectId: String(version), outcome: 'allowed', detail: { version, rules: rules.rules.map((r) => r.code) } });
      return { version };
    });
  }
}
