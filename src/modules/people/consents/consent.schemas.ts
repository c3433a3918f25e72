import { z } from 'zod';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { bilingual, isoDate, text } from '../../../platform/http/input';
import { MEETING_KINDS } from '../../coordination/domain/meeting.entity';
import { CONSENT_SCOPES } from '../../referrals/domain/shared-package';
import { CONSENT_METHODS } from './person-consent.entity';

export const consentRecipientSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('department'), departmentId: z.uuid() }),
    z.strictObject({ type: z.literal('meeting'), meetingKind: z.enum(MEETING_KINDS) }),
    z.strictObject({ type: z.literal('supporters'), districtCode: text(20).nullable().describe('One 地区, or null for the supporters of every 地区') }),
    z.strictObject({ type: z.literal('participationHost'), resourceId: z.uuid().describe('The 参加支援 resource whose host may be told') }),
  ])
  .meta({ id: 'ConsentRecipient' });

const fieldGroups = z
  .array(z.enum(CONSENT_SCOPES))
  .min(1)
  .refine((g) => new Set(g).size === g.length, bilingual({ ja: '同意範囲が重複しています。', en: 'The field groups repeat themselves.' }));

/** `POST /people/:id/consents`: whom, which field groups, what for, when and how; optionally until when. */
export const recordPersonConsentSchema = z.strictObject({
  recipients: z.array(consentRecipientSchema).min(1).max(20),
  fieldGroups,
  purpose: text(500),
  givenOn: isoDate,
  endsOn: isoDate.optional().describe('The last day the consent holds; none: until withdrawn'),
  method: z.enum(CONSENT_METHODS),
});
export type RecordPersonConsentInput = z.infer<typeof recordPersonConsentSchema>;

/** `POST /people/:id/consents/:consentId/actions/withdraw`, on the version read. */
export const withdrawPersonConsentSchema = z.strictObject({
  version: z.int().min(1).optional(),
  withdrawnOn: isoDate,
  reason: text(500),
});
export type WithdrawPersonConsentInput = z.infer<typeof withdrawPersonConsentSchema>;

export const personConsentsQuery = z.strictObject({ ...pageParams });
export const personDisclosuresQuery = z.strictObject({ ...pageParams });
export type PersonListPage = z.infer<typeof personConsentsQuery>;
