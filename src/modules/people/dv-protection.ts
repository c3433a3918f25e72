import { subject } from '@casl/ability';
import type { AppAbility } from '../access/ability.factory';
import { AccessDeniedError } from '../access/access-denied.error';
import type { RequestAuth } from '../access/request-auth';
import { CONTACT_FIELDS, type PersonField } from '../referrals/domain/shared-package';
import type { Person } from './domain/person.entity';

/**
 * DV等支援措置, the one place: whether a person is protected today, and by whom, is decided in SQL by
 * `person_dv_protectors(person_id)` (migration …171000_dv_measures: their own measure, or a household-covering
 * measure of a household member, in force and not lifted). The Person entity reads it as `dvProtected` /
 * `dvProtectorIds`; list queries call it through `dvProtectorsSql` (dv-measure.entity.ts). Whether a reader may see contacts is the
 * ability's `readContact` (only the named protectors); what every reader and sharer does with that is here.
 */
type Protected = Pick<Person, 'tenantId' | 'dvProtected' | 'dvProtectorIds'>;

/** Whether this reader may see the person's address and contacts. */
export function mayReadContact(ability: AppAbility, person: Protected): boolean {
  return ability.can('readContact', subject('Person', { tenantId: person.tenantId, dvProtected: person.dvProtected, dvProtectorIds: person.dvProtectorIds }));
}

export const DV_CONTACTS_NOT_SHARED = {
  ja: 'この人は支援措置（DV等）の対象のため、住所・連絡先は誰にも共有できません。連絡先を除いて共有してください。',
  en: 'This person is under a DV protection measure: their address and contacts cannot be shared with anyone. Share without them.',
};

/** A protected person's contacts leave with no disclosure, to anyone (a referral, an information request): refused, audited. */
export function refuseProtectedContacts(auth: RequestAuth, person: Protected & Pick<Person, 'id'>, fields: readonly PersonField[], action: string): void {
  if (!person.dvProtected || !fields.some((f) => CONTACT_FIELDS.includes(f))) return;
  throw new AccessDeniedError(auth.audit, { action, subjectType: 'Person', subjectId: person.id, personId: person.id, detail: { reason: 'dv_protection' } }, { why: DV_CONTACTS_NOT_SHARED });
}
