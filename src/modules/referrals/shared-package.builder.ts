import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, fieldError } from '../../platform/http/app-error';
import { AccessDeniedError } from '../access/access-denied.error';
import type { RequestAuth } from '../access/request-auth';
import { CasePersonSchema, type Case } from '../cases/domain/case.entity';
import { todayInJapan } from '../../platform/calendar/today';
import { liveConsents } from '../people/consents/consent-book';
import { coveringConsent, type DisclosureTarget } from '../people/consents/consent-rule';
import { PersonSchema, type Person } from '../people/domain/person.entity';
import type { PersonHoldings } from '../people/person-holdings';
import { personValues } from '../people/person-presenter';
import { refuseProtectedContacts } from '../people/dv-protection';
import { CONSENT_BASED } from './domain/share-bases';
import { CONTACT_FIELDS, groupOf, PERSON_FIELD_GROUPS, type CaseField, type ConsentScope, type PersonField, type SharedPackage } from './domain/shared-package';

export interface ShareRequest {
  share: { case: CaseField[]; persons: { personId: string; fields: string[] }[] };
  legalBasis: string;
  /** Every department the data reaches: where consent is the ground, it must name each of them. */
  recipientDepartmentIds: string[];
  /** When shared at a meeting, its kind: a consent naming that kind of meeting covers it too. */
  meetingKind?: string;
}

export const SENSITIVE_NOT_YOURS = {
  ja: '要配慮個人情報を共有できるのは、それを閲覧できる担当者だけです。',
  en: 'Only staff who may read sensitive data can share it.',
};

/**
 * Freezes exactly the requested fields of the case and its people, after checking each may go:
 * the people are in the case, only fields the sending department holds, sensitive fields only from those
 * allowed to read them, never a DV-protected person's contacts, and where consent is the ground, each
 * person's own standing consent covering every recipient and these fields.
 */

export async function buildSharedPackage(em: EntityManager, auth: RequestAuth, found: Case, input: ShareRequest, holdings: PersonHoldings): Promise<{ shared: SharedPackage; persons: Person[] }> {
  const links = new Map((await em.find(CasePersonSchema, { caseId: found.id })).map((l) => [l.personId, l.relation]));
  const people = await em.find(PersonSchema, { id: { $in: input.share.persons.map((p) => p.personId) } });
  const needsConsent = CONSENT_BASED.includes(input.legalBasis);
  // Each person's own consents live today: a withdrawal stops the very next share.
  const consents = needsConsent ? await liveConsents(em, [...links.keys()], todayInJapan()) : [];
  const target: DisclosureTarget = input.meetingKind
    ? { type: 'meeting', meetingKind: input.meetingKind, departmentIds: input.recipientDepartmentIds }
    : { type: 'departments', departmentIds: input.recipientDepartmentIds };
  const consentFor = (personId: string | null, scopes: ConsentScope[]) =>
    coveringConsent(personId === null ? consents : consents.filter((c) => c.personId === personId), target, scopes, todayInJapan());
  const held = await holdings.of(em, [found.leadDepartmentId], input.share.persons.map((p) => p.personId));
  const sensitiveAllowed = auth.ability.can('readSensitive', subject('Case', { ...found }));

  const persons: SharedPackage['persons'] = [];
  for (const [index, request] of input.share.persons.entries()) {
    const person = people.find((p) => p.id === request.personId);
    if (!person || !links.has(request.personId)) {
      throw fieldError(`body.share.persons.${index}.personId`, 'not_in_case', { ja: 'この人はケースに含まれていません。', en: 'This person is not part of the case.' });
    }
    const fields = [...new Set(request.fields)] as PersonField[];
    refuseProtectedContacts(auth, person, fields, 'referral.share-contact');
    if (!sensitiveAllowed && fields.some((f) => (PERSON_FIELD_GROUPS.sensitive as readonly string[]).includes(f))) {
      throw new AccessDeniedError(auth.audit, { action: 'referral.share-sensitive', subjectType: 'Person', subjectId: person.id, personId: person.id }, { why: SENSITIVE_NOT_YOURS });
    }
    const notHeld = fields.filter((f) => !held.get(person.id)?.has(f));
    if (notHeld.length) {
      throw new AccessDeniedError(auth.audit, { action: 'referral.share-not-held', subjectType: 'Person', subjectId: person.id, personId: person.id, detail: { fields: notHeld } }, { why: notHeldWhy(notHeld) });
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

export function notHeldWhy(fields: string[]) {
  return {
    ja: `担当課が保有していない項目は共有できません: ${fields.join(', ')}`,
    en: `The lead department does not hold these fields, so it cannot share them: ${fields.join(', ')}`,
  };
}

/** No standing consent of the person covers the recipients and fields: 422, the same words for every share. */
export function noConsent(field: string): AppError {
  return new AppError('guard_failed', {
    detail: {
      ja: 'この人の有効な本人同意が、すべての相手先とこの項目を含んでいません。同意を記録するか、他の法的根拠と理由を指定してください。',
      en: 'No standing consent of this person covers every recipient and these fields: record one, or give another legal basis with a reason.',
    },
    meta: { field },
  });
}
