import { z } from 'zod';
import { ROLE_CHANGE_STATES } from './role-change.machine';

export const ROLE_CHANGE_ACTIONS = { approve: 'APPROVE', decline: 'DECLINE', withdraw: 'WITHDRAW' } as const;
export type RoleChangeAction = keyof typeof ROLE_CHANGE_ACTIONS;

export const roleChangeActionBodySchema = z.strictObject({
  version: z.int().min(1).optional(),
  reason: z.string().trim().max(2000).optional(),
});
export type RoleChangeActionBody = z.infer<typeof roleChangeActionBodySchema>;

export const roleChangeListQuery = z.strictObject({ state: z.enum(ROLE_CHANGE_STATES).optional() });
