import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { addBusinessDays } from '../../../../platform/calendar/business-days';
import { todayInJapan } from '../../../../platform/calendar/today';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { AppError, fieldError } from '../../../../platform/http/app-error';
import { AuditLog } from '../../../audit/audit-log.service';
import { loadCase } from '../../../cases/case-access';
import { DepartmentSchema } from '../../../directory/domain/department.entity';
import { DEFAULT_TENANT_SETTINGS, TenantSettingsSchema } from '../../../directory/domain/tenant-settings.entity';
import { ReferralSchema } from '../../domain/referral.entity';
import { initialReferralState, referralMachine } from '../../domain/referral.machine';
import { refuseBasisAcrossBodies } from '../../domain/share-bases';
import { recordReferralShare } from '../../referral-receipts';
import { referralHeader } from '../../referral-view';
import { ReferCaseCommand } from './refer-case.command';
import { PersonHoldings } from '../../../people/person-holdings';
import { buildSharedPackage } from '../../shared-package.builder';

@CommandHandler(ReferCaseCommand)
export class ReferCaseHandler implements ICommandHandler<ReferCaseCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly holdings: PersonHoldings,
  ) {}

  execute({ auth, caseId, input }: ReferCaseCommand) {
    const today = todayInJapan();
    if (input.dueOn && input.dueOn < today) {
      throw fieldError('body.dueOn', 'in_the_past', { ja: '回答期限が過去の日付です。', en: 'The answer deadline is in the past.' });
    }
    // A year ahead at most: an answer deadline further out is a typo, and the holiday calendar ends in 2099.
    if (input.dueOn && input.dueOn > `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`) {
      throw fieldError('body.dueOn', 'too_far', { ja: '回答期限は1年以内の日付にしてください。', en: 'The answer deadline must be within a year.' });
    }
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const found = await loadCase(em, auth, caseId, 'refer');
      if (['closed', 'suspended'].includes(found.state)) {
        throw new AppError('transition_not_allowed', { detail: { ja: '終結・中断中のケースはつなげません。', en: 'A closed or suspended case cannot be referred.' }, meta: { state: found.state } });
      }
      if (input.toDepartmentId === found.leadDepartmentId) {
        throw fieldError('body.toDepartmentId', 'own_department', { ja: '自分の課にはつなげません。', en: 'A case cannot be referred to its own department.' });
      }
      const to = await em.findOne(DepartmentSchema, { id: input.toDepartmentId });
      if (!to) {
        throw fieldError('body.toDepartmentId', 'unknown_department', { ja: 'この自治体にその課はありません。', en: 'No such department in this municipality.' });
      }
      refuseBasisAcrossBodies(input.legalBasis, await em.findOneOrFail(DepartmentSchema, { id: found.leadDepartmentId }), to, 'body.legalBasis');
      const { shared } = await buildSharedPackage(em, auth, found, { ...input, recipientDepartmentIds: [input.toDepartmentId] }, this.holdings);
      const settings = (await em.findOne(TenantSettingsSchema, { tenantId: found.tenantId })) ?? DEFAULT_TENANT_SETTINGS;
      const dueOn = input.dueOn ?? addBusinessDays(today, settings.referralResponseBusinessDays);
      const referral = em.create(ReferralSchema, {
        tenantId: found.tenantId,
        caseId: found.id,
        fromDepartmentId: found.leadDepartmentId,
        toDepartmentId: input.toDepartmentId,
        createdBy: auth.principal.id,
        preparerIds: [auth.principal.id],
        purpose: input.purpose,
        // APPI_SPECIAL: prepared only, until the sending department's manager approves (act-on-referral).
        state: initialReferralState(input.legalBasis),
        machine: referralMachine.id,
        shared,
        legalBasis: input.legalBasis,
        legalBasisReason: input.legalBasisReason ?? null,
        consentId: shared.persons.find((p) => p.consentId)?.consentId ?? null,
        dueOn,
        expiresOn: addBusinessDays(dueOn, settings.referralExpiryGraceBusinessDays),
      });
      await em.flush();
      const sent = referral.state === 'proposed';
      if (sent) await recordReferralShare(em, auth, this.audit, referral);
      this.events.append(em, auth.audit, {
        aggregateType: 'Referral',
        aggregateId: referral.id,
        aggregateVersion: referral.version,
        caseId: found.id,
        type: sent ? 'ReferralProposed' : 'ReferralPrepared',
        payload: { fromDepartmentId: referral.fromDepartmentId, toDepartmentId: referral.toDepartmentId, dueOn, legalBasis: input.legalBasis },
      });
      await em.flush();
      if (!sent) {
        const fields = { caseFields: shared.case.fields, persons: shared.persons.map((p) => ({ personId: p.personId, fields: p.fields })) };
        await this.audit.append(em, auth.audit, {
          action: 'referral.prepare',
          subjectType: 'Referral',
          subjectId: referral.id,
          legalBasis: input.legalBasis,
          outcome: 'allowed',
          detail: { toDepartmentId: input.toDepartmentId, ...fields, reason: input.legalBasisReason ?? null },
        });
      }
      return referralHeader(auth, referral, today);
    });
  }
}
