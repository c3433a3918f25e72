import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { AppError, notFound } from '../../../platform/http/app-error';
import { assertVersion } from '../../../platform/workflow/versioned-transition';
import { assertCan } from '../../access/assert-can';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { EventLog } from '../../../platform/events/event-log';
import { DisasterSchema, EvacuationPlanSchema, EvacuationSettingsSchema, RegisterEntrySchema, ReturnTaskSchema } from '../domain/register.entity';
import { REGISTER_ACTIONS } from '../domain/register.machine';
import type { AddEntryInput, PlanInput } from '../domain/register.schemas';
import { RegisterBook } from '../register-book';
import type { RuleSetInput } from './types';

/** Commands of the register that are one small transaction each; imports and renewals have their own files. */

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

export class AddEntryCommand extends Command<{ id: string; state: string; eligible: boolean; version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: AddEntryInput,
  ) {
    super();
  }
}

@CommandHandler(AddEntryCommand)
export class AddEntryHandler implements ICommandHandler<AddEntryCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: RegisterBook,
  ) {}

  execute({ auth, input }: AddEntryCommand) {
    assertCan(auth, 'create', 'RegisterEntry', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const entry = await this.book.add(em, auth.audit, {
        person: input.personId ? { personId: input.personId } : input.person!,
        districtCode: input.districtCode,
        source: input.source,
        facts: { birthDate: input.person?.birthDate ?? null, careLevel: null, physicalHandbookGrade: null, ryoikuGrade: null, mentalHandbookGrade: null, ...input.facts },
        needsHelpReason: input.needsHelpReason,
        householdSituation: input.householdSituation,
      });
      return { id: entry.id, state: entry.state, eligible: entry.eligible, version: entry.version };
    });
  }
}

export class ActOnEntryCommand extends Command<{ id: string; state: string; version: number; provision: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly entryId: string,
    readonly action: keyof typeof REGISTER_ACTIONS,
    readonly expectedVersion: number,
    readonly body: { provision?: string; reason?: string },
  ) {
    super();
  }
}

@CommandHandler(ActOnEntryCommand)
export class ActOnEntryHandler implements ICommandHandler<ActOnEntryCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: RegisterBook,
  ) {}

  execute({ auth, entryId, action, expectedVersion, body }: ActOnEntryCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const entry = await em.findOne(RegisterEntrySchema, { id: entryId });
      if (!entry) throw notFound({ ja: '名簿の登録が見つかりません。', en: 'No such register entry.' });
      assertCan(auth, 'update', 'RegisterEntry', entry);
      assertVersion(entry, expectedVersion);
      await this.book.transition(em, auth.audit, entry, { type: REGISTER_ACTIONS[action], ...body });
      return { id: entry.id, state: entry.state, version: entry.version, provision: entry.provision ?? null };
    });
  }
}

export class SendNoticesCommand extends Command<{ sent: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly step: 'send' | 'mailed',
    readonly entryIds?: string[],
  ) {
    super();
  }
}

/** 登録案内: notices to eligible candidates (send), then the mail merge went out (mailed). */
@CommandHandler(SendNoticesCommand)
export class SendNoticesHandler implements ICommandHandler<SendNoticesCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: RegisterBook,
  ) {}

  execute({ auth, step, entryIds }: SendNoticesCommand) {
    assertCan(auth, 'update', 'RegisterEntry', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const from = step === 'send' ? { state: 'candidate', eligible: true } : { state: 'notice_sent' };
      const entries = await em.find(RegisterEntrySchema, { ...from, ...(entryIds ? { id: { $in: entryIds } } : {}) }, { orderBy: { createdAt: 'asc' } });
      for (const entry of entries) await this.book.transition(em, auth.audit, entry, { type: step === 'send' ? 'SEND_NOTICE' : 'MARK_MAILED' });
      return { sent: entries.length };
    });
  }
}

export class DisasterCommand extends Command<{ id: string; closedAt: Date | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly declare: { kind: string; title: string; districtCodes: string[] } | null,
    readonly closeId?: string,
  ) {
    super();
  }
}

/** 災害の宣言・終了 (安心安全課): while open, supporters in its districts see everyone listed there. */
@CommandHandler(DisasterCommand)
export class DisasterHandler implements ICommandHandler<DisasterCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: RegisterBook,
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, declare, closeId }: DisasterCommand) {
    const tenantId = auth.principal.tenantId;
    assertCan(auth, declare ? 'create' : 'update', 'Disaster', { tenantId });
    return this.db.inTenant(tenantId, async (em) => {
      let disaster;
      if (declare) {
        const known = await this.book.districtCodes(em);
        const unknown = declare.districtCodes.filter((d) => !known.includes(d));
        if (unknown.length) throw new AppError('validation_failed', { errors: [{ field: 'body.districtCodes', code: 'unknown_district', message: { ja: `その地区はありません: ${unknown.join(', ')}`, en: `No such district: ${unknown.join(', ')}` } }] });
        disaster = em.create(DisasterSchema, { ...declare, tenantId, declaredBy: auth.principal.id });
      } else {
        disaster = await em.findOne(DisasterSchema, { id: closeId });
        if (!disaster) throw notFound({ ja: '災害が見つかりません。', en: 'No such disaster.' });
        if (disaster.closedAt) throw new AppError('transition_not_allowed', { detail: { ja: 'この災害は既に終了しています。', en: 'This disaster is already closed.' } });
        Object.assign(disaster, { closedAt: new Date(), closedBy: auth.principal.id });
      }
      await em.flush();
      this.events.append(em, auth.audit, { aggregateType: 'Disaster', aggregateId: disaster.id, aggregateVersion: disaster.version, caseId: null, type: declare ? 'DisasterDeclared' : 'DisasterClosed', payload: { districtCodes: disaster.districtCodes } });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: declare ? 'disaster.declare' : 'disaster.close', subjectType: 'Disaster', subjectId: disaster.id, outcome: 'allowed', detail: { districtCodes: disaster.districtCodes, kind: disaster.kind } });
      return { id: disaster.id, closedAt: disaster.closedAt ?? null };
    });
  }
}

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

export class CompleteReturnTaskCommand extends Command<{ id: string; state: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly taskId: string,
  ) {
    super();
  }
}

/** The supporter confirms the removed person's copy was returned or destroyed. */
@CommandHandler(CompleteReturnTaskCommand)
export class CompleteReturnTaskHandler implements ICommandHandler<CompleteReturnTaskCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, taskId }: CompleteReturnTaskCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const task = await em.findOne(ReturnTaskSchema, { id: taskId });
      if (!task) throw notFound({ ja: 'タスクが見つかりません。', en: 'No such task.' });
      assertCan(auth, 'update', 'ReturnTask', task, { hide: true });
      Object.assign(task, { state: 'done', doneAt: new Date() });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'register.return-done', subjectType: 'ReturnTask', subjectId: task.id, personId: task.personId, outcome: 'allowed' });
      return { id: task.id, state: task.state };
    });
  }
}

export const REGISTER_COMMAND_HANDLERS = [ConfigureRegisterHandler, AddEntryHandler, ActOnEntryHandler, SendNoticesHandler, DisasterHandler, SavePlanForEntryHandler, CompleteReturnTaskHandler];
