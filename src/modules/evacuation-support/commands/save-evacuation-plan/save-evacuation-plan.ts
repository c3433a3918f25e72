import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { EvacuationPlanSchema, RegisterEntrySchema } from '../../domain/register.entity';
import type { PlanInput } from '../../domain/register.schemas';

export class SavePlanForEntryCommand extends Command<{ id: string; version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly entryId: string,
    readonly input: PlanInput,
  ) {
    super();
  }
}

/** 個別避難計画: made with the person's consent (DMA_PLAN_CREATE); its helper's consent decides normal-time sharing. */
@CommandHandler(SavePlanForEntryCommand)
export class SavePlanForEntryHandler implements ICommandHandler<SavePlanForEntryCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, entryId, input }: SavePlanForEntryCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const entry = await em.findOne(RegisterEntrySchema, { id: entryId });
      if (!entry) throw notFound({ ja: '名簿の登録が見つかりません。', en: 'No such register entry.' });
      assertCan(auth, 'update', 'EvacuationPlan', entry);
      if (!['registered', 'renewal_notice_sent'].includes(entry.state)) throw new AppError('transition_not_allowed', { meta: { state: entry.state } });
      const existing = await em.findOne(EvacuationPlanSchema, { entryId });
      assertVersion({ version: existing?.version ?? 0 }, input.version);
      const { version: _version, ...values } = input;
      const fields = { ...values, careNotes: values.careNotes ?? null, medicalDevices: values.medicalDevices ?? null, medication: values.medication ?? null };
      const plan = existing ? em.assign(existing, fields) : em.create(EvacuationPlanSchema, { ...fields, tenantId: entry.tenantId, entryId, createdBy: auth.principal.id });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'register.plan', subjectType: 'EvacuationPlan', subjectId: plan.id, personId: entry.personId, legalBasis: 'DMA_PLAN_CREATE', outcome: 'allowed', detail: { helperConsent: input.helperConsent } });
      return { id: plan.id, version: plan.version };
    });
  }
}
