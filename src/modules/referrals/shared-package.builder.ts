import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, fieldError } from '../../platform/http/app-error';
import { AccessDeniedError } from '../access/access-denied.error';
import type { RequestAuth } from '../access/request-auth';
import { CasePersonSchema, ConsentSchema, type Case } from '../cases/domain/case.entity';
import { PersonSchema, type Person } from '../people/domain/person.entity';
import { personValues } from '../people/person-presenter';
import { CONTACT_FIELDS, groupOf, PERSON_FIELD_GROUPS, type CaseField, type ConsentScope, type PersonField, type SharedPackage } from './domain/shared-package';

/**
 * Freezes exactly the requested fields of the case and its people, after checking each may go:
 * the people are in the case, sensitive fields only from those allowed to read them, never a DV-protected
 * person's contacts, and under CONSENT a standing consent that covers this recipient and these fields.
 */
export interface ShareRequest {
  share: { case: CaseField[]; persons: { personId: string; fields: string[] }[] };
  legalBasis: string;
  /** Under CONSENT, the consent must name this department as a recipient. */
  recipientDepartmentId: string | null;
}

export async function buildSharedPackage(em: EntityManager, auth: RequestAuth, found: Case, input: ShareRequest): Promise<{ shared: SharedPackage; persons: Person[] }> {
  const links = new Map((await em.find(CasePersonSchema, { caseId: found.id })).map((l) => [l.personId, l.relation]));
  const people = await em.find(PersonSchema, { id: { $in: input.share.persons.map((p) => p.personId) } });
  const consents = await em.find(ConsentSchema, { caseId: found.id, withdrawnOn: null });
  const consentFor = (personId: string | null, scopes: ConsentScope[]) =>
    consents.find(
      (c) => (personId === null || c.personId === personId) && (input.recipientDepartmentId === null || c.recipientDepartmentIds.includes(input.recipientDepartmentId)) && scopes.every((s) => c.scope.includes(s)),
    );
  const needsConsent = input.legalBasis === 'CONSENT';
  const sensitiveAllowed = auth.ability.can('readSensitive', subject('Case', { ...found }));

  const persons: SharedPackage['persons'] = [];
  for (const [index, request] of input.share.persons.entries()) {
    const person = people.find((p) => p.id === request.personId);
    if (!person || !links.has(request.personId)) {
      throw fieldError(`body.share.persons.${index}.personId`, 'not_in_case', { ja: 'この人はケースに含まれていません。', en: 'This person is not part of the case.' });
    }
    const fields = [...new Set(request.fields)] as PersonField[];
    if (person.dvProtected && fields.some((f) => CONTACT_FIELDS.includes(f))) {
      throw new AccessDeniedError(auth.audit, { action: 'referral.share-contact', subjectType: 'Person', subjectId: person.id, personId: person.id, detail: { reason: 'dv_protection' } });
    }
    if (!sensitiveAllowed && fields.some((f) => (PERSON_FIELD_GROUPS.sensitive as readonly string[]).includes(f))) {
      throw new AccessDeniedError(auth.audit, { action: 'referral.share-sensitive', subjectType: 'Person', subjectId: person.id, personId: person.id });
    }
    const consent = needsConsent ? consentFor(person.id, [...new Set(fields.map(groupOf))]) : undefined;
    if (needsConsent && !consent) throw noConsent(`body.share.persons.${index}`);
    const values = personValues(person);
    persons.push({
      personId: person.id,
      relation: links.get(person.id)!,
      fields,
      values: Object.fromEntries(fields.map((f) => [f, values[f]])),
      version: person.version,
      consentId: consent?.id ?? null,
    });
  }
  if (needsConsent && input.share.case.length && !consentFor(null, ['case'])) throw noConsent('body.share.case');
  const caseValues = { issues: found.issues, summary: found.summary ?? null };
  return {
    shared: {
      case: { fields: input.share.case, values: Object.fromEntries(input.share.case.map((f) => [f, caseValues[f]])), version: found.version },
      persons,
    },
    persons: people,
  };
}

function noConsent(field: string): AppError {
  return new AppError('guard_failed', {
    detail: {
      ja: 'この相手先・項目を含む有効な本人同意がありません。同意を記録するか、他の法的根拠と理由を指定してください。',
      en: 'No standing consent covers this recipient and these fields: record one, or give another legal basis with a reason.',
    },
    meta: { field },
  });
}
