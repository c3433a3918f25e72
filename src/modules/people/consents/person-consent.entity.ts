import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';
import type { ConsentScope } from '../../referrals/domain/shared-package';

export const CONSENT_METHOD_LABELS = vocabulary('consentMethod', {
  written: { ja: '書面', en: 'Written' },
  oral: { ja: '口頭', en: 'Oral' },
  electronic: { ja: '電磁的方法', en: 'Electronic' },
});
export const CONSENT_METHODS = CONSENT_METHOD_LABELS.codes;

/** Whom a consent lets the person's data reach: a department, a kind of meeting, the 避難支援等関係者, or a 参加支援 host. */
export const CONSENT_RECIPIENT_TYPE_LABELS = vocabulary('consentRecipientType', {
  department: { ja: '課', en: 'Department' },
  meeting: { ja: '会議', en: 'Meeting' },
  supporters: { ja: '避難支援等関係者', en: 'Evacuation supporters' },
  participationHost: { ja: '参加支援のつなぎ先', en: 'Participation host' },
});
export type ConsentRecipient =
  | { type: 'department'; departmentId: string }
  | { type: 'meeting'; meetingKind: string }
  /** The supporters of one 地区, or of every 地区 (null). */
  | { type: 'supporters'; districtCode: string | null }
  /** The host of one 参加支援 resource (つなぎ先: an employer, a 通いの場 …). */
  | { type: 'participationHost'; resourceId: string };

/**
 * 本人同意 of one person (個保法69条②1): recipients, field groups, purpose, date, method, an optional end,
 * and its withdrawal, which stops every disclosure after it at once. `contextCaseId`: the case it was
 * recorded in, if any.
 */
export const PersonConsentSchema = defineEntity({
  name: 'PersonConsent',
  tableName: 'person_consents',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    personId: p.uuid(),
    recipients: p.json<ConsentRecipient[]>(),
    fieldGroups: p.array<ConsentScope>(),
    purpose: p.text(),
    givenOn: p.string().columnType('date'),
    endsOn: p.string().columnType('date').nullable(),
    method: p.enum(CONSENT_METHODS),
    contextCaseId: p.uuid().nullable(),
    recordedBy: p.uuid().nullable(),
    withdrawnOn: p.string().columnType('date').nullable(),
    withdrawalReason: p.text().nullable(),
    withdrawnBy: p.uuid().nullable(),
    withdrawnAt: p.datetime().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type PersonConsent = InferEntity<typeof PersonConsentSchema>;
