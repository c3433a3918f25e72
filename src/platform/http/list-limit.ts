import { z } from 'zod';

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

/** `?limit=` on a list: no list answers more than this (cursor paging comes on top of it). */
export const listLimitQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
});
export type ListLimit = z.infer<typeof listLimitQuery>;
