import { z } from 'zod';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';
import { LEGAL_BASIS_CODES } from '../../audit/domain/legal-basis';
import { CONSENT_SCOPES } from '../../referrals/domain/shared-package';
import { consentRecipientSchema } from './consent.schemas';
import { CONSENT_METHODS, CONSENT_RECIPIENT_TYPE_LABELS } from './person-consent.entity';

/** Where a consent stands today. */
export const CONSENT_STATUS_LABELS = vocabulary('consentStatus', {
  pending: { ja: '開始前', en: 'Not yet in force' },
  live: { ja: '有効', en: 'In force' },
  ended: { ja: '期間終了', en: 'Ended' },
  withdrawn: { ja: '撤回済み', en: 'Withdrawn' },
});

/** 本人同意 of a person, as recorded (consentView). */
export const PersonConsentViewSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    recipients: z.array(consentRecipientSchema),
    fieldGroups: z.array(z.enum(CONSENT_SCOPES)),
    purpose: z.string(),
    givenOn: z.iso.date(),
    endsOn: z.iso.date().nullable(),
    method: z.enum(CONSENT_METHODS),
    contextCaseId: z.uuid().nullable().describe('The case it was recorded in, if any'),
    recordedBy: z.uuid().nullable(),
    withdrawnOn: z.iso.date().nullable(),
    withdrawalReason: z.string().nullable(),
    status: z.enum(CONSENT_STATUS_LABELS.codes),
    version: z.int().min(1),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PersonConsent' });

export const PersonConsentWrittenSchema = z.object({ id: z.uuid(), version: z.int().min(1) }).meta({ id: 'PersonConsentWritten' });

/** One disclosure made of the person, from its receipt (a disclosure receipt or a roster provision). */
export const PersonDisclosureSchema = z
  .object({
    id: z.uuid(),
    disclosedAt: z.iso.datetime(),
    recipientType: z.enum(CONSENT_RECIPIENT_TYPE_LABELS.codes).describe('In the words of consent recipients: a department, a meeting, the supporters, a 参加支援 host'),
    recipientId: z.uuid(),
    recipientName: z.string().nullable(),
    fields: z.array(z.string()).describe('The fields disclosed, as the receipt lists them'),
    legalBasis: z.enum(LEGAL_BASIS_CODES),
    reason: z.string().nullable().describe('Why: the referral’s or 情報照会’s purpose, the meeting’s title, or the reason recorded'),
    disclosedBy: z.uuid().describe('Who disclosed: the staff member, or for a roster the supporter who received it'),
    disclosedByName: z.string().nullable(),
    referralId: z.uuid().nullable(),
    informationRequestId: z.uuid().nullable(),
    receiptNumber: z.string().nullable().describe('A roster provision’s receipt number'),
  })
  .meta({ id: 'PersonDisclosureReceipt' });

export const PersonConsentPageSchema = pageOf(PersonConsentViewSchema);
export const PersonDisclosurePageSchema = pageOf(PersonDisclosureSchema);
