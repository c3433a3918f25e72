import { z } from 'zod';
import { ACCESS_GRANT_STATES } from './access-grant.machine';
import { pageParams } from '../../../platform/http/api-contract/paging';

export const requestAccessGrantSchema = z.strictObject({
  caseId: z.uuid(),
  /** Mandatory: the grant must be justifiable later. */
  reason: z.string().trim().min(10).max(2000),
  hours: z.int().min(1).max(72).default(8),
  includeSensitive: z.boolean().default(false),
});
export type RequestAccessGrantInput = z.infer<typeof requestAccessGrantSchema>;

export const ACCESS_GRANT_ACTIONS = { approve: 'APPROVE', decline: 'DECLINE', revoke: 'REVOKE' } as const;
export type AccessGrantAction = keyof typeof ACCESS_GRANT_ACTIONS;

export const accessGrantActionBodySchema = z.strictObject({
  version: z.int().min(1).optional(),
  reason: z.string().trim().max(2000).optional(),
});
export type AccessGrantActionBody = z.infer<typeof accessGrantActionBodySchema>;

export const accessGrantListQuery = z.strictObject({ state: z.enum(ACCESS_GRANT_STATES).optional(), ...pageParams });
export type AccessGrantListQuery = z.infer<typeof accessGrantListQuery>;

/** One typed event per step, past tense. */
export const ACCESS_GRANT_EVENTS = {
  REQUEST: 'AccessGrantRequested',
  APPROVE: 'AccessGrantApproved',
  DECLINE: 'AccessGrantDeclined',
  REVOKE: 'AccessGrantRevoked',
} as const;
export type AccessGrantStep = keyof typeof ACCESS_GRANT_EVENTS;
