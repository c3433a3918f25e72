import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestAuth } from '../access/request-auth';
import type { AuditLog } from '../audit/audit-log.service';
import type { LegalBasis } from '../audit/domain/legal-basis';
import { DisclosureSchema, type Referral } from './domain/referral.entity';

/**
 * The moment a referral's package leaves its department: a 提供記録 (receipt) per case and person
 * shared, and a `referral.share` audit row per person, in the caller's transaction. A share that needed
 * a manager's approval leaves at the approval, and its receipts name the approver; the preparer stays
 * the one who disclosed.
 */
export async function recordReferralShare(em: EntityManager, auth: RequestAuth, audit: AuditLog, referral: Referral): Promise<void> {
  const { shared } = referral;
  const receipt = (subjectType: string, subjectId: string, subjectVersion: number, fields: string[], personId: string | null) =>
    em.create(DisclosureSchema, {
      tenantId: referral.tenantId,
      referralId: referral.id,
      personId,
      subjectType,
      subjectId,
      subjectVersion,
      fields,
      recipientType: 'Department',
      recipientId: referral.toDepartmentId,
      legalBasis: referral.legalBasis,
      reason: referral.legalBasisReason ?? null,
      disclosedBy: referral.createdBy,
      approvedBy: referral.approvedBy ?? null,
      approvedAt: referral.approvedAt ?? null,
    });
  if (shared.case.fields.length) receipt('Case', referral.caseId, shared.case.version, shared.case.fields, null);
  shared.persons.forEach((p) => receipt('Person', p.personId, p.version, p.fields, p.personId));
  await em.flush();
  const shares = shared.persons.length ? shared.persons : [{ personId: null, fields: [] as string[] }];
  for (const share of shares) {
    await audit.append(em, auth.audit, {
      action: 'referral.share',
      subjectType: 'Referral',
      subjectId: referral.id,
      personId: share.personId,
      legalBasis: referral.legalBasis as LegalBasis,
      outcome: 'allowed',
      detail: {
        toDepartmentId: referral.toDepartmentId,
        fields: share.fields,
        caseFields: shared.case.fields,
        reason: referral.legalBasisReason ?? null,
        ...(referral.approvedBy ? { approvedBy: referral.approvedBy } : {}),
      },
    });
  }
}
