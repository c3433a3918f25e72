import { z } from 'zod';
import { SharedPersonSchema } from '../../people/person-view.schema';
import { SharedCaseValuesSchema } from '../../referrals/http/referral.responses';
import { MEETING_KINDS, MEETING_LEGAL_BASES } from '../domain/meeting.entity';

const legalBasis = z.enum(MEETING_LEGAL_BASES);

/** What convening a meeting answers: members read what is shared there until `accessUntil`. */
export const ConvenedMeetingSchema = z.object({ id: z.uuid(), version: z.int().min(1), accessUntil: z.iso.date() }).meta({ id: 'ConvenedMeeting' });

/** A meeting in a list; auditors see only id, kind, heldOn and accessUntil (the others are absent). */
export const MeetingSummarySchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(MEETING_KINDS),
    title: z.string().optional(),
    heldOn: z.iso.date(),
    accessUntil: z.iso.date().describe('Members read what was shared until this day'),
    version: z.int().min(1).optional(),
  })
  .meta({ id: 'MeetingSummary' });

/** A decision of a meeting: who watches, who reaches out. */
export const MeetingDecisionSchema = z
  .object({ id: z.uuid(), text: z.string(), caseId: z.uuid().nullable(), assigneeDepartmentId: z.uuid().nullable(), recordedAt: z.iso.datetime() })
  .meta({ id: 'MeetingDecision' });

/** The meeting record: members, cases, decisions, minutes; auditors see who met on which cases, not what was said or decided. */
export const MeetingRecordSchema = MeetingSummarySchema.extend({
  members: z.array(
    z.object({
      id: z.uuid(),
      staffId: z.uuid().nullable(),
      departmentId: z.uuid().nullable(),
      externalName: z.string().nullable(),
      externalOrganization: z.string().nullable(),
      confidentialityAcknowledgedAt: z.iso.datetime().nullable().describe('守秘義務 acknowledged'),
    }),
  ),
  cases: z.array(z.object({ caseId: z.uuid(), coordinationCaseId: z.uuid(), legalBasis, sharedAt: z.iso.datetime() })),
  decisions: z.array(MeetingDecisionSchema).optional(),
  minutes: z.string().nullable().optional().describe('議事録'),
}).meta({ id: 'MeetingRecord' });

/** What sharing a case with a meeting answers, with the legal ground of the share. */
export const MeetingShareSchema = z.object({ id: z.uuid(), legalBasis }).meta({ id: 'MeetingShare' });

/** What was shared about one case at the meeting, as it was when shared (members, until access lapses). */
export const CaseSharedWithMeetingSchema = z
  .object({ meetingId: z.uuid(), caseId: z.uuid(), legalBasis, sharedAt: z.iso.datetime(), case: SharedCaseValuesSchema, persons: z.array(SharedPersonSchema) })
  .meta({ id: 'CaseSharedWithMeeting' });

/** What recording the minutes answers. */
export const MeetingVersionSchema = z.object({ id: z.uuid(), version: z.int().min(1) }).meta({ id: 'MeetingVersion' });
