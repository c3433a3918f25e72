import { subject } from '@casl/ability';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Db } from '../../../platform/database/db';
import { EventLog } from '../../../platform/events/event-log';
import { AppError } from '../../../platform/http/app-error';
import { assertVersion, transitionOrRefuse } from '../../../platform/workflow/versioned-transition';
import { AccessDeniedError } from '../../access/access-denied.error';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { CasePersonSchema } from '../../cases/domain/case.entity';
import { PersonSchema } from '../../people/domain/person.entity';
import { PersonHoldings } from '../../people/person-holdings';
import { PERSON_FIELD_GROUPS } from '../../referrals/domain/shared-package';
import { DisclosureSchema } from '../../referrals/domain/referral.entity';
import { noConsent, notHeldWhy, SENSITIVE_NOT_YOURS } from '../../referrals/shared-package.builder';
import { APPROVAL_BASES, CONSENT_BASED } from '../../referrals/domain/share-bases';
import type { ConsentScope } from '../../referrals/domain/shared-package';
import { liveConsents } from '../../people/consents/consent-book';
import { coveringConsent } from '../../people/consents/consent-rule';
import { todayInJapan } from '../../../platform/calendar/today';
import { refuseProtectedContacts } from '../../people/dv-protection';
import type { InformationRequest } from '../domain/information-request.entity';
import { informationRequestMachine } from '../domain/information-request.machine';
import {
  fieldsOfGroups,
  INFORMATION_REQUEST_ACTIONS,
  INFORMATION_REQUEST_EVENTS,
  type InformationRequestAction,
  type InformationRequestActionBody,
} from '../domain/information-request.schemas';
import { actionNeeds, informationRequestView, loadInformationRequest } from '../information-request-view';

export class ActOnInformationRequestCommand extends Command<ReturnType<typeof informationRequestView>> {
  constructor(
    readonly auth: RequestAuth,
    readonly requestId: string,
    readonly action: InformationRequestAction,
    readonly expectedVersion: number,
    readonly body: InformationRequestActionBody,
  ) {
    super();
  }
}

/** The holder approves (a disclosure with a receipt) or declines; the requester withdraws. One transaction each. */
@CommandHandler(ActOnInformationRequestCommand)
export class ActOnInformationRequestHandler implements ICommandHandler<ActOnInformationRequestCommand> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
  ) {}

  execute({ auth, requestId, action, expectedVersion, body }: ActOnInformationRequestCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const request = await loadInformationRequest(em, auth, requestId, (found) => actionNeeds(action, found));
      assertVersion(request, expectedVersion);
      const type = INFORMATION_REQUEST_ACTIONS[action];
      const groups = [...new Set(body.groups ?? request.requestedGroups)];
      const from = request.state;
      request.state = transitionOrRefuse(informationRequestMachine, from, {}, { type, reason: body.reason ?? '', groups });
      if (type === 'APPROVE') await this.disclose(em, auth, request, groups);
      if (type === 'DECLINE') request.declineReason = body.reason!.trim();
      if (type === 'WITHDRAW') request.withdrawReason = body.reason?.trim() || null;
      if (type !== 'WITHDRAW') request.decidedBy = auth.principal.id;
      await em.flush();
      this.events.append(em, auth.audit, {
        aggregateType: 'InformationRequest',
        aggregateId: request.id,
        aggregateVersion: request.version,
        caseId: request.caseId ?? null,
        type: INFORMATION_REQUEST_EVENTS[type],
        payload: { from, to: request.state, fromDepartmentId: request.fromDepartmentId, toDepartmentId: request.toDepartmentId, ...(type === 'APPROVE' ? { groups } : {}), ...(body.reason ? { reason: body.reason } : {}) },
      });
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: `information-request.${action}`,
        subjectType: 'InformationRequest',
        subjectId: request.id,
        personId: request.personId,
        legalBasis: type === 'APPROVE' ? (request.legalBasis as never) : null,
        outcome: 'allowed',
        detail: { from, to: request.state, version: request.version, ...(type === 'APPROVE' ? { fields: fieldsOfGroups(groups), toDepartmentId: request.fromDepartmentId } : {}) },
      });
      return informationRequestView(auth, request);
    });
  }

  /**
   * The same checks as a referral's shared package, on the holder's side: only groups asked for, only
   * fields the holding department holds, sensitive ones only from those who may read them, never a
   * DV-protected person's contacts; on consent, the person's standing consent naming the asker for these
   * groups. Then the receipt, which makes the requester hold exactly these fields.
   */
  private async disclose(em: EntityManager, auth: RequestAuth, request: InformationRequest, groups: string[]): Promise<void> {
    const extra = groups.filter((g) => !request.requestedGroups.includes(g));
    if (extra.length) {
      throw new AppError('guard_failed', {
        detail: { ja: `照会されていない項目は提供できません: ${extra.join(', ')}`, en: `These groups were not asked for: ${extra.join(', ')}` },
        meta: { field: 'body.groups' },
      });
    }
    const fields = fieldsOfGroups(groups);
    const person = await em.findOneOrFail(PersonSchema, { id: request.personId });
    const audit = (action: string, detail?: Record<string, unknown>) => ({ action, subjectType: 'Person', subjectId: person.id, personId: person.id, detail });
    refuseProtectedContacts(auth, person, fields, 'information-request.share-contact');
    const sensitive = PERSON_FIELD_GROUPS.sensitive as readonly string[];
    if (fields.some((f) => sensitive.includes(f)) && !auth.ability.can('readSensitive', subject('Person', { tenantId: person.tenantId, departmentId: request.toDepartmentId }))) {
      throw new AccessDeniedError(auth.audit, audit('information-request.share-sensitive'), { why: SENSITIVE_NOT_YOURS });
    }
    const held = (await this.holdings.of(em, [request.toDepartmentId], [person.id])).get(person.id)!;
    const notHeld = fields.filter((f) => !held.has(f));
    if (notHeld.length) throw new AccessDeniedError(auth.audit, audit('information-request.share-not-held', { fields: notHeld }), { why: notHeldWhy(notHeld) });
    // 本人同意: the approval is the disclosure, so the consent must stand now (a withdrawal stops it) and name the asker.
    if (CONSENT_BASED.includes(request.legalBasis)) {
      const target = { type: 'departments', departmentIds: [request.fromDepartmentId] } as const;
      if (!coveringConsent(await liveConsents(em, [person.id], todayInJapan()), target, groups as ConsentScope[], todayInJapan())) throw noConsent('body.groups');
    }
    // 69条②4: only the holding department's manager got this far (actionNeeds); the receipt names the approval.
    const approval = APPROVAL_BASES.includes(request.legalBasis) ? { approvedBy: auth.principal.id, approvedAt: new Date() } : { approvedBy: null, approvedAt: null };
    request.approvedGroups = groups;
    em.create(DisclosureSchema, {
      tenantId: request.tenantId,
      referralId: null,
      informationRequestId: request.id,
      personId: person.id,
      subjectType: 'Person',
      subjectId: person.id,
      subjectVersion: person.version,
      fields,
      recipientType: 'Department',
      recipientId: request.fromDepartmentId,
      legalBasis: request.legalBasis,
      reason: request.legalBasisReason ?? null,
      disclosedBy: auth.principal.id,
      ...approval,
    });
    // The lawful way to attach a known person to a new case: once the fields are disclosed.
    if (request.caseId && !(await em.findOne(CasePersonSchema, { caseId: request.caseId, personId: person.id }))) {
      em.create(CasePersonSchema, { tenantId: request.tenantId, caseId: request.caseId, personId: person.id, relation: request.relation ?? '本人' });
    }
  }
}
