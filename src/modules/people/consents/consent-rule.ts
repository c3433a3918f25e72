import type { ConsentScope } from '../../referrals/domain/shared-package';
import type { ConsentRecipient, PersonConsent } from './person-consent.entity';

/** Where a disclosure goes, as a consent must name it. */
export type DisclosureTarget =
  | { type: 'departments'; departmentIds: readonly string[] }
  /** A meeting: its kind, and the departments of its members. */
  | { type: 'meeting'; meetingKind: string; departmentIds: readonly string[] }
  | { type: 'supporters'; districtCode: string }
  | { type: 'participationHost'; resourceId: string };

type ConsentTerms = Pick<PersonConsent, 'recipients' | 'fieldGroups' | 'givenOn' | 'endsOn' | 'withdrawnOn'>;

/** Live on a day: given by then, not ended before it, and never withdrawn (withdrawal stops every later disclosure at once). */
export function isLive(consent: ConsentTerms, on: string): boolean {
  return !consent.withdrawnOn && consent.givenOn <= on && (!consent.endsOn || on <= consent.endsOn);
}

const namesDepartment = (recipients: ConsentRecipient[], departmentId: string) => recipients.some((r) => r.type === 'department' && r.departmentId === departmentId);

/**
 * Whether the consent names the target: every department; a meeting by its kind, or every member's
 * department (a consent naming them all lets them meet); the supporters of the 地区 or of every 地区;
 * the host of that very 参加支援 resource.
 */
export function namesTarget(recipients: ConsentRecipient[], target: DisclosureTarget): boolean {
  switch (target.type) {
    case 'departments':
      return target.departmentIds.every((d) => namesDepartment(recipients, d));
    case 'meeting':
      return (
        recipients.some((r) => r.type === 'meeting' && r.meetingKind === target.meetingKind) ||
        (target.departmentIds.length > 0 && target.departmentIds.every((d) => namesDepartment(recipients, d)))
      );
    case 'supporters':
      return recipients.some((r) => r.type === 'supporters' && (r.districtCode === null || r.districtCode === target.districtCode));
    case 'participationHost':
      return recipients.some((r) => r.type === 'participationHost' && r.resourceId === target.resourceId);
  }
}

/** The one rule every disclosure on consent goes through: live that day, naming the target, covering every field group. */
export function covers(consent: ConsentTerms, target: DisclosureTarget, groups: readonly ConsentScope[], on: string): boolean {
  return isLive(consent, on) && namesTarget(consent.recipients, target) && groups.every((g) => consent.fieldGroups.includes(g));
}

/** The first consent that covers the disclosure, if any. */
export function coveringConsent<C extends ConsentTerms>(consents: readonly C[], target: DisclosureTarget, groups: readonly ConsentScope[], on: string): C | undefined {
  return consents.find((c) => covers(c, target, groups, on));
}
