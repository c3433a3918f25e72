import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventLog } from '../../../platform/events/event-log';
import { AppError, fieldError, notFound } from '../../../platform/http/app-error';
import { assertVersion } from '../../../platform/workflow/versioned-transition';
import { AuditLog } from '../../audit/audit-log.service';
import type { AuditContext } from '../../audit/domain/audit-entry';
import { DepartmentSchema, DistrictSchema } from '../../directory/domain/department.entity';
import type { ConsentScope } from '../../referrals/domain/shared-package';
import { isLive } from './consent-rule';
import { PersonConsentSchema, type ConsentRecipient, type PersonConsent } from './person-consent.entity';

export const ConsentRecorded = 'ConsentRecorded';
export const ConsentWithdrawn = 'ConsentWithdrawn';

export interface NewConsent {
  recipients: ConsentRecipient[];
  fieldGroups: ConsentScope[];
  purpose: string;
  givenOn: string;
  endsOn?: string | null;
  method: PersonConsent['method'];
}

const NO_SUCH_CONSENT = { ja: '同意記録が見つかりません。', en: 'No such consent record.' };

/** A date that comes before the consent it ends: 422 with the reason, nothing written. */
function beforeGiven(field: string, what: { ja: string; en: string }): AppError {
  return new AppError('guard_failed', { detail: what, meta: { field } });
}

/**
 * 本人同意 per person, the one writer of consents: recorded at a person's page, in a case (its context),
 * or by the register when a person agrees to normal-time provision. Every write appends its event and
 * audit row in the caller's transaction.
 */
@Injectable()
export class ConsentBook {
  constructor(
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  async record(em: EntityManager, context: AuditContext, personId: string, input: NewConsent, contextCaseId: string | null = null): Promise<PersonConsent> {
    if (input.endsOn && input.endsOn < input.givenOn) {
      throw beforeGiven('body.endsOn', { ja: '同意の終了日が同意日より前です。', en: 'The consent ends before it was given.' });
    }
    await this.assertRecipientsExist(em, input.recipients);
    const consent = em.create(PersonConsentSchema, {
      tenantId: context.tenantId,
      personId,
      recipients: input.recipients,
      fieldGroups: input.fieldGroups,
      purpose: input.purpose,
      givenOn: input.givenOn,
      endsOn: input.endsOn ?? null,
      method: input.method,
      contextCaseId,
      recordedBy: context.actor.id,
    });
    await em.flush();
    const payload = { consentId: consent.id, personId, fieldGroups: input.fieldGroups, recipients: input.recipients, method: input.method, givenOn: input.givenOn, endsOn: input.endsOn ?? null };
    await this.written(em, context, consent, ConsentRecorded, 'consent.record', payload);
    return consent;
  }

  /** 同意の撤回: disclosures made before stay on record; none can rest on the consent from now on. */
  async withdraw(em: EntityManager, context: AuditContext, where: { id: string; personId?: string; contextCaseId?: string }, change: { expectedVersion?: number; withdrawnOn: string; reason: string }): Promise<PersonConsent> {
    const consent = await em.findOne(PersonConsentSchema, where);
    if (!consent) throw notFound(NO_SUCH_CONSENT);
    if (consent.withdrawnOn) throw new AppError('transition_not_allowed', { detail: { ja: 'この同意は既に撤回されています。', en: 'This consent was already withdrawn.' } });
    if (change.expectedVersion !== undefined) assertVersion(consent, change.expectedVersion);
    if (change.withdrawnOn < consent.givenOn) {
      throw beforeGiven('body.withdrawnOn', { ja: '撤回日が同意日より前です。', en: 'The withdrawal is dated before the consent was given.' });
    }
    Object.assign(consent, { withdrawnOn: change.withdrawnOn, withdrawalReason: change.reason, withdrawnBy: context.actor.id, withdrawnAt: new Date() });
    await em.flush();
    await this.written(em, context, consent, ConsentWithdrawn, 'consent.withdraw', { consentId: consent.id, personId: consent.personId, withdrawnOn: change.withdrawnOn, reason: change.reason });
    return consent;
  }

  private async written(em: EntityManager, context: AuditContext, consent: PersonConsent, type: string, action: string, payload: Record<string, unknown>): Promise<void> {
    this.events.append(em, context, { aggregateType: 'PersonConsent', aggregateId: consent.id, aggregateVersion: consent.version, caseId: consent.contextCaseId ?? null, type, payload });
    await em.flush();
    await this.audit.append(em, context, { action, subjectType: 'PersonConsent', subjectId: consent.id, personId: consent.personId, outcome: 'allowed', detail: payload });
  }

  private async assertRecipientsExist(em: EntityManager, recipients: ConsentRecipient[]): Promise<void> {
    const departments = new Set(recipients.flatMap((r) => (r.type === 'department' ? [r.departmentId] : [])));
    if (departments.size && (await em.count(DepartmentSchema, { id: { $in: [...departments] } })) !== departments.size) {
      throw fieldError('body.recipients', 'unknown_department', { ja: 'この自治体にない課が含まれています。', en: 'A department is not of this municipality.' });
    }
    const districts = new Set(recipients.flatMap((r) => (r.type === 'supporters' && r.districtCode ? [r.districtCode] : [])));
    if (districts.size && (await em.count(DistrictSchema, { code: { $in: [...districts] } })) !== districts.size) {
      throw fieldError('body.recipients', 'unknown_district', { ja: 'その地区はありません。', en: 'No such district.' });
    }
    const hosts = [...new Set(recipients.flatMap((r) => (r.type === 'participationHost' ? [r.resourceId] : [])))];
    if (hosts.length) {
      const [{ n }] = await em.execute<{ n: string }[]>(`select count(*) as n from participation_resources where id::text in (${hosts.map(() => '?').join(', ')})`, hosts);
      if (Number(n) !== hosts.length) throw fieldError('body.recipients', 'unknown_resource', { ja: 'その参加支援のつなぎ先はありません。', en: 'No such participation resource.' });
    }
  }
}

/** Each person's consents live on a day (withdrawn ones never are), oldest first: what a disclosure may rest on. */
export async function liveConsents(em: EntityManager, personIds: readonly string[], on: string): Promise<PersonConsent[]> {
  if (!personIds.length) return [];
  const rows = await em.find(PersonConsentSchema, { personId: { $in: [...personIds] }, withdrawnOn: null }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return rows.filter((c) => isLive(c, on));
}

/** The person's live consents naming the 避難支援等関係者 (the register's 同意). */
export async function supporterConsents(em: EntityManager, personId: string, on: string): Promise<PersonConsent[]> {
  return (await liveConsents(em, [personId], on)).filter((c) => c.recipients.some((r) => r.type === 'supporters'));
}
