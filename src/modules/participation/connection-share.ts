import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../platform/http/app-error';
import { AccessDeniedError } from '../access/access-denied.error';
import type { RequestAuth } from '../access/request-auth';
import type { Person } from '../people/domain/person.entity';
import type { PersonHoldings } from '../people/person-holdings';
import { groupOf, PERSON_FIELD_GROUPS, type ConsentScope, type PersonField } from '../referrals/domain/shared-package';
import { todayInJapan } from '../../platform/calendar/today';
import { refuseProtectedContacts } from '../people/dv-protection';
import { notHeldWhy } from '../referrals/shared-package.builder';
import { covers } from '../people/consents/consent-rule';
import type { PersonConsent } from '../people/consents/person-consent.entity';

/** The terms of a consent the rule reads: a recorded person consent, or one about to be recorded. */
export type HostConsent = Pick<PersonConsent, 'recipients' | 'fieldGroups' | 'givenOn' | 'endsOn' | 'withdrawnOn'>;

/** The field groups a share needs the person's consent for (name → basic, phone → contact …). */
export const groupsOf = (fields: readonly string[]) => [...new Set(fields.map((f) => groupOf(f as PersonField)))] as ConsentScope[];

/**
 * THE consent check of a connection: the person's own consent (本人同意), live on the day, names this
 * resource's host and covers the field group of every shared field — the people consents' one rule.
 */
export function consentCovers(consent: HostConsent | undefined | null, resourceId: string, fields: readonly string[], on: string): boolean {
  return !!consent && covers(consent, { type: 'participationHost', resourceId }, groupsOf(fields), on);
}

const NO_CONSENT = {
  ja: '本人の有効な同意が、このつなぎ先に伝えるすべての項目を含んでいません（撤回・期間終了を含む）。同意を得た項目だけを伝えてください。',
  en: 'No live consent of the person lets this host be told every shared field (withdrawn or ended ones do not): tell only what they agreed to.',
};
/** 422 naming the consent: it does not let the host be told every shared field. Writes nothing. */
export const consentRefused = () => new AppError('guard_failed', { detail: NO_CONSENT, meta: { field: 'body.consent' } });

const NO_SENSITIVE = {
  ja: 'つなぎ先には要配慮個人情報を伝えられません。',
  en: 'Sensitive data is never told to a host.',
};

/**
 * May these fields of the person go to the host? Only with the person's live consent covering them, only
 * fields the connecting department holds, never 要配慮個人情報, never a DV-protected person's contacts.
 * A refusal writes nothing but its audit row.
 */
export async function assertMayShare(
  em: EntityManager,
  auth: RequestAuth,
  holdings: PersonHoldings,
  share: { departmentId: string; person: Person; resourceId: string; fields: readonly string[]; consent: HostConsent | undefined | null },
): Promise<void> {
  const { person, fields } = share;
  const refuse = (field: string, detail: { ja: string; en: string }) => new AppError('guard_failed', { detail, meta: { field } });
  if (!consentCovers(share.consent, share.resourceId, fields, todayInJapan())) throw consentRefused();
  if (fields.some((f) => (PERSON_FIELD_GROUPS.sensitive as readonly string[]).includes(f))) throw refuse('body.share', NO_SENSITIVE);
  refuseProtectedContacts(auth, person, fields as PersonField[], 'participation.share-contact');
  const audit = (action: string, detail?: Record<string, unknown>) => ({ action, subjectType: 'Person', subjectId: person.id, personId: person.id, detail });
  const held = (await holdings.of(em, [share.departmentId], [person.id])).get(person.id)!;
  const notHeld = fields.filter((f) => !held.has(f as PersonField));
  if (notHeld.length) throw new AccessDeniedError(auth.audit, audit('participation.share-not-held', { fields: notHeld }), { why: notHeldWhy(notHeld) });
}
