import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/http/app-error';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import type { AuditLog } from '../audit/audit-log.service';
import { VolunteerSchema, type Volunteer } from './domain/volunteer.entity';

/** A listed person the caller may act on; another tenant's answers 404 like an unknown id. */
export async function loadVolunteer(em: EntityManager, auth: RequestAuth, id: string, action: Action): Promise<Volunteer> {
  const found = await em.findOne(VolunteerSchema, { id });
  if (!found) throw notFound({ ja: '人財が見つかりません。', en: 'No such volunteer.' });
  assertCanOrHide(auth, action, 'Volunteer', found);
  return found;
}

/** A 人財 entry; the contact only where the ability allows (`contactWithheld` says it was left out). */
export function volunteerView(auth: RequestAuth, v: Volunteer) {
  const mayContact = auth.ability.can('readContact', subject('Volunteer', { ...v }));
  return {
    id: v.id,
    name: v.name,
    kind: v.kind,
    ownerDepartmentId: v.ownerDepartmentId,
    skills: v.skills,
    days: v.days,
    availability: v.availability ?? null,
    districtCodes: v.districtCodes,
    contact: mayContact ? (v.contact ?? null) : null,
    contactWithheld: !mayContact && !!v.contact,
    contactConsent: v.contactConsent,
    listingConsent: v.listingConsent,
    state: v.state,
    version: v.version,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}
export type VolunteerView = ReturnType<typeof volunteerView>;

/**
 * Volunteers' entries as the caller sees them, each contact shown written to the audit log
 * (who saw a volunteer's contact), like every other personal-data read; entries without one write nothing.
 */
export async function auditedVolunteerViews(em: EntityManager, auth: RequestAuth, audit: AuditLog, rows: readonly Volunteer[], via: string): Promise<VolunteerView[]> {
  const views = rows.map((v) => volunteerView(auth, v));
  const seen = views.filter((v) => v.contact !== null);
  await audit.appendMany(
    em,
    auth.audit,
    seen.map((v) => ({ action: 'participation.volunteer-read-contact', subjectType: 'Volunteer', subjectId: v.id, outcome: 'allowed' as const, detail: { via } })),
  );
  return views;
}
