import { z } from 'zod';
import { ACCESS_GRANT_STATES } from '../domain/access-grant.machine';
import { ACCESS_GRANT_ACTIONS, type AccessGrantAction } from '../domain/access-grant.schemas';

const nullableUuid = z.uuid().nullable();
const nullableTime = z.iso.datetime().nullable();

/** An access grant as auditors and administrators see it (accessGrantViews): metadata only, never the case's contents. */
export const AccessGrantViewSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    caseNumber: z.string().nullable(),
    requestedBy: z.uuid(),
    requestedByName: z.string().nullable().describe('The display names are the directory’s, today'),
    reason: z.string(),
    hours: z.int().min(1).max(72),
    includeSensitive: z.boolean(),
    state: z.enum(ACCESS_GRANT_STATES).describe('A granted grant past its hours reads as expired'),
    requestedAt: z.iso.datetime(),
    decidedBy: nullableUuid,
    decidedByName: z.string().nullable(),
    decidedAt: nullableTime,
    declineReason: z.string().nullable(),
    expiresAt: nullableTime,
    revokedBy: nullableUuid,
    revokedByName: z.string().nullable(),
    revokedAt: nullableTime,
    revokeReason: z.string().nullable(),
    version: z.int().min(1),
    allowedActions: z.array(z.enum(Object.keys(ACCESS_GRANT_ACTIONS) as [AccessGrantAction, ...AccessGrantAction[]])).describe('What the caller may do now'),
  })
  .meta({ id: 'AccessGrantView' });
