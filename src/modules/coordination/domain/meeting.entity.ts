import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { SharedPackage } from '../../referrals/domain/shared-package';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** 支援会議 (社会福祉法106条の6, no consent needed, 守秘義務) or 重層的支援会議 (consent only). */
export const MEETING_KIND_LABELS = vocabulary('meetingKind', {
  shien_kaigi: { ja: '支援会議', en: 'Support meeting' },
  juso_kaigi: { ja: '重層的支援会議', en: 'Multi-layered support meeting' },
});
export const MEETING_KINDS = MEETING_KIND_LABELS.codes;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** The legal ground of what is shared at each kind of meeting. */
export const MEETING_LEGAL_BASES = ['SWA_SHIEN_KAIGI', 'SWA_JUSO_KAIGI'] as const;

export interface Decision {
  id: string;
  text: string;
  caseId: string | null;
  assigneeDepartmentId: string | null;
  recordedAt: string;
}

export const MeetingSchema = defineEntity({
  name: 'Meeting',
  tableName: 'meetings',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    kind: p.enum(MEETING_KINDS),
    title: p.string(),
    heldOn: p.string().columnType('date'),
    /** Members read what was shared until this day; then their access lapses by itself. */
    accessUntil: p.string().columnType('date'),
    minutes: p.text().nullable(),
    decisions: p.json<Decision[]>(),
    createdBy: p.uuid(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Meeting = InferEntity<typeof MeetingSchema>;

export const MeetingMemberSchema = defineEntity({
  name: 'MeetingMember',
  tableName: 'meeting_members',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    meetingId: p.uuid(),
    staffId: p.uuid().nullable(),
    departmentId: p.uuid().nullable(),
    externalName: p.string().nullable(),
    externalOrganization: p.string().nullable(),
    /** 守秘義務 acknowledged: required before anything is shared at a 支援会議. */
    confidentialityAcknowledgedAt: p.datetime().nullable(),
  },
});
export type MeetingMember = InferEntity<typeof MeetingMemberSchema>;

export const MeetingCaseSchema = defineEntity({
  name: 'MeetingCase',
  tableName: 'meeting_cases',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    meetingId: p.uuid(),
    coordinationCaseId: p.uuid(),
    caseId: p.uuid(),
    legalBasis: p.enum(MEETING_LEGAL_BASES),
    shared: p.json<SharedPackage>(),
    sharedBy: p.uuid(),
    sharedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type MeetingCase = InferEntity<typeof MeetingCaseSchema>;
