import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** 人財の種類 — who offers time or skills. */
export const VOLUNTEER_KIND_LABELS = vocabulary('volunteerKind', {
  volunteer: { ja: 'ボランティア', en: 'Volunteer' },
  lecturer: { ja: '市民講師（人材バンク）', en: 'Citizen lecturer' },
  senior: { ja: '生涯現役（シニア人材）', en: 'Active senior' },
  driver: { ja: '移動支援の運転ボランティア', en: 'Volunteer driver' },
});

export const VOLUNTEER_STATE_LABELS = vocabulary('volunteerState', {
  listed: { ja: '掲載中', en: 'Listed' },
  withdrawn: { ja: '掲載取りやめ', en: 'Withdrawn' },
});

/** The person's consent to be listed in the 人財 directory: without it, no entry. */
export interface ListingConsent {
  givenOn: string;
  method: string;
}

/** 人財 — a person who offers time or skills, listed with their consent. */
export const VolunteerSchema = defineEntity({
  name: 'Volunteer',
  tableName: 'participation_volunteers',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    name: p.string(),
    kind: p.enum(VOLUNTEER_KIND_LABELS.codes),
    ownerDepartmentId: p.uuid(),
    skills: p.array(),
    days: p.array(),
    availability: p.string().nullable(),
    districtCodes: p.array(),
    contact: p.string().nullable(),
    listingConsent: p.json<ListingConsent>(),
    /** Consent to be contacted: without it, nobody reads the contact (the ability decides who does with it). */
    contactConsent: p.boolean(),
    state: p.enum(VOLUNTEER_STATE_LABELS.codes),
    version: p.integer().version(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Volunteer = InferEntity<typeof VolunteerSchema>;
