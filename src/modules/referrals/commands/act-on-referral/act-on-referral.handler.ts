import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { addBusinessDays } from '../../../../platform/calendar/business-days';
import { todayInJapan } from '../../../../platform/calendar/today';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { fieldError } from '../../../../platform/http/app-error';
import { assertVersion, transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { loadCase } from '../../../cases/case-access';
import { DEFAULT_TENANT_SETTINGS, TenantSettingsSchema } from '../../../directory/domain/tenant-settings.entity';
import { PersonSchema } from '../../../people/domain/person.entity';
import { refuseProtectedContacts } from '../../../people/dv-protection';
import { PersonHoldings } from '../../../people/person-holdings';
import type { Referral } from '../../domain/referral.entity';
import { referralMachine } from '../../domain/referral.machine';
import { REFERRAL_ACTIONS, REFERRAL_EVENTS, type ReferralActionBody } from '../../domain/referral.schemas';
import { CONTACT_FIELDS } from '../../domain/shared-package';
import { loadReferral } from '../../referral-access';
import { recordReferralShare } from '../../referral-receipts';
import { referralActionNeeds, referralContext, referralHeader } from '../../referral-view';
import { buildSharedPackage } from '../../shared-package.builder';
import { ActOnReferralCommand } from './act-on-referral.command';

@CommandHandler(ActOnReferralCommand)
export class ActOnReferralHandler implements ICommandHandler<ActOnReferralCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly holdings: PersonHoldings,
  ) {}

  execute({ auth, referralId, action, expectedVersion, body }: ActOnReferralCommand) {
    const revision = (['purpose', 'legalBasisReason', 'share'] as const).find((key) => body[key] !== undefined);
    if (revision && action !== 'resubmit') {
      throw fieldError(`body.${revision}`, 'resubmit_only', { ja: '共有内容の修正は再申請でのみできます。', en: 'A share can only be revised when resubmitting it.' });
    }
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const referral = await loadReferral(em, auth, referralId, referralActionNeeds(action));
      assertVersion(referral, expectedVersion);
      const type = REFERRAL_ACTIONS[action];
      const event = { type, reason: body.reason ?? '', outcome: body.outcome, note: body.note, by: auth.principal.id };
      const from = referral.state;
      const today = todayInJapan();
      referral.state = transitionOrRefuse(referralMachine, from, referralContext(referral), event);
      if (type === 'DECLINE') referral.declineReason = event.reason;
      if (type === 'WITHDRAW') referral.withdrawReason = event.reason || null;
      if (type === 'HOLD') referral.holdReason = event.reason;
      if (type === 'COMPLETE') Object.assign(referral, { outcome: body.outcome, outcomeNote: body.note ?? null });
      if (type === 'RETURN') referral.returnReason = event.reason.trim();
      if (type === 'RESUBMIT') {
        await this.revise(em, auth, referral, body);
        referral.preparerIds = [...new Set([...referral.preparerIds, auth.principal.id])];
      }
      if (type === 'APPROVE') await this.approve(em, auth, referral, today);
      await em.flush();
      const payload = {
        from,
        to: referral.state,
        fromDepartmentId: referral.fromDepartmentId,
        toDepartmentId: referral.toDepartmentId,
        ...(event.reason ? { reason: event.reason } : {}),
        ...(type === 'COMPLETE' ? { outcome: body.outcome, note: body.note ?? null } : {}),
        // The answer period starts when the share leaves: the reporting projection counts it from here.
        ...(type === 'APPROVE' ? { dueOn: referral.dueOn, legalBasis: referral.legalBasis } : {}),
      };
      this.events.append(em, auth.audit, {
        aggregateType: 'Referral',
        aggregateId: referral.id,
        aggregateVersion: referral.version,
        caseId: referral.caseId,
        type: REFERRAL_EVENTS[type as keyof typeof REFERRAL_EVENTS],
        payload,
      });
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: `referral.${action}`,
        subjectType: 'Referral',
        subjectId: referral.id,
        legalBasis: type === 'APPROVE' ? (referral.legalBasis as never) : null,
        outcome: 'allowed',
        detail: { from, to: referral.state, version: referral.version, ...(type === 'RETURN' ? { reason: referral.returnReason } : {}) },
      });
      if (type === 'APPROVE') await recordReferralShare(em, auth, this.audit, referral);
      return referralHeader(auth, referral, today);
    });
  }

  /**
   * 個保法69条②4: the manager lets the prepared share leave. The receiver's answer period starts now
   * (a later deadline the preparer chose stands); the receipts, written after, carry the approval.
   */
  private async approve(em: EntityManager, auth: RequestAuth, referral: Referral, today: string): Promise<void> {
    // The package was frozen when prepared: a person put under DV等支援措置 since must not have contacts leave.
    const withContacts = referral.shared.persons.filter((p) => p.fields.some((f) => CONTACT_FIELDS.includes(f)));
    const people = withContacts.length ? await em.find(PersonSchema, { id: { $in: withContacts.map((p) => p.personId) } }) : [];
    for (const person of people) refuseProtectedContacts(auth, person, withContacts.find((p) => p.personId === person.id)!.fields, 'referral.share-contact');
    const settings = (await em.findOne(TenantSettingsSchema, { tenantId: referral.tenantId })) ?? DEFAULT_TENANT_SETTINGS;
    const earliest = addBusinessDays(today, settings.referralResponseBusinessDays);
    referral.dueOn = referral.dueOn > earliest ? referral.dueOn : earliest;
    referral.expiresOn = addBusinessDays(referral.dueOn, settings.referralExpiryGraceBusinessDays);
    referral.approvedBy = auth.principal.id;
    referral.approvedAt = new Date();
  }

  /** The preparer's revision of a returned share: what is given replaces what was, and the package is frozen again. */
  private async revise(em: EntityManager, auth: RequestAuth, referral: Referral, body: ReferralActionBody): Promise<void> {
    const found = await loadCase(em, auth, referral.caseId, 'refer');
    const share = body.share ?? {
      case: referral.shared.case.fields,
      persons: referral.shared.persons.map((p) => ({ personId: p.personId, fields: p.fields as string[] })),
    };
    const { shared } = await buildSharedPackage(em, auth, found, { share, legalBasis: referral.legalBasis, recipientDepartmentIds: [referral.toDepartmentId] }, this.holdings);
    Object.assign(referral, {
      shared,
      purpose: body.purpose ?? referral.purpose,
      legalBasisReason: body.legalBasisReason ?? referral.legalBasisReason,
      returnReason: null,
    });
  }
}
