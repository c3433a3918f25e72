import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../platform/http/app-error';
import { AccessDeniedError } from '../access/access-denied.error';
import type { RequestAuth } from '../access/request-auth';
import type { Person } from '../people/domain/person.entity';
import type { PersonHoldings } from '../people/person-holdings';
import { PERSON_FIELD_GROUPS, type PersonField } from '../referrals/domain/shared-package';
import { refuseProtectedContacts } from '../people/dv-protection';
import { notHeldWhy } from '../referrals/shared-package.builder';
import type { SharingConsent } from './domain/connection.entity';

/**
 * THE consent check of a connection: the person agreed that the host may be told every shared field.
 * Consent is recorded with the connection for now; when consent is kept per person, re-point this one
 * function at the person's standing consent (recipient: the resource) and nothing else changes.
 */
export function consentCovers(consent: SharingConsent | undefined | null, fields: readonly string[]): boolean {
  return !!consent && fields.every((f) => consent.fields.includes(f));
}

const NO_CONSENT = {
  ja: '本人の同意が、つなぎ先に伝えるすべての項目を含んでいません。同意を得た項目だけを伝えてください。',
  en: 'The person’s consent does not cover every field to be told to the host: tell only what they agreed to.',
};
const NO_SENSITIVE = {
  ja: 'つなぎ先には要配慮個人情報を伝えられません。',
  en: 'Sensitive data is never told to a host.',
};

/**
 * May these fields of the person go to the host? Only with the person's consent covering them, only
 * fields the connecting department holds, never 要配慮個人情報, never a DV-protected person's contacts.
 * A refusal writes nothing but its audit row.
 */
export async function assertMayShare(
  em: EntityManager,
  auth: RequestAuth,
  holdings: PersonHoldings,
  share: { departmentId: string; person: Person; fields: readonly string[]; consent: SharingConsent | undefined | null },
): Promise<void> {
  const { person, fields } = share;
  const refuse = (field: string, detail: { ja: string; en: string }) => new AppError('guard_failed', { detail, meta: { field } });
  if (!consentCovers(share.consent, fields)) throw refuse('body.consent', NO_CONSENT);
  if (fields.some((f) => (PERSON_FIELD_GROUPS.sensitive as readonly string[]).includes(f))) throw refuse('body.share', NO_SENSITIVE);
  refuseProtectedContacts(auth, person, fields as PersonField[], 'participation.share-contact');
  const audit = (action: string, detail?: Record<string, unknown>) => ({ action, subjectType: 'Person', subjectId: person.id, personId: person.id, detail });
  const held = (await holdings.of(em, [share.departmentId], [person.id])).get(person.id)!;
  const notHeld = fields.filter((f) => !held.has(f as PersonField));
  if (notHeld.length) throw new AccessDeniedError(auth.audit, audit('participation.share-not-held', { fields: notHeld }), { why: notHeldWhy(notHeld) });
}
