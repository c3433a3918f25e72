import { z } from 'zod';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { ROLE_CHANGE_STATES } from './role-change.machine';

export const ROLE_CHANGE_ACTIONS = { approve: 'APPROVE', decline: 'DECLINE', withdraw: 'WITHDRAW' } as const;
export type RoleChangeAction = keyof typeof ROLE_CHANGE_ACTIONS;

export const roleChangeActionBodySchema = z.strictObject({
  version: z.int().min(1).optional(),
  reason: z.string().trim().max(2000).optional(),
});
export type RoleChangeActionBody = z.infer<typeof roleChangeActionBodySchema>;

export const roleChangeListQuery = z.strictObject({
  state: z.enum(ROLE_CHANGE_STATES).optional().describe('Only requests in this state (requested: waiting for a decision)'),
  staffId: z.uuid().optional().describe('Only requests about this staff member'),
  ...pageParams,
});
export type RoleChangeListQuery = z.infer<typeof roleChangeListQuery>;
