import { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../app-error';

/** What ProblemFilter answers for every error (RFC 9457), in the caller's language. */
export const ProblemSchema = z
  .looseObject({
    type: z.string().describe('urn:tsunagi:problem:<code>'),
    title: z.string().describe('The code in words, in the language of Content-Language'),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional().describe('The request URL (clipped)'),
    code: z.enum(Object.keys(ERROR_CATALOG) as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string(),
    errorCount: z.int().optional().describe('How many field errors there were; `errors` lists at most 20'),
    errors: z
      .array(z.object({ field: z.string().describe('body.x, path.id, query.limit, header.if-match'), code: z.string(), message: z.string(), keys: z.array(z.string()).optional() }))
      .optional(),
    currentVersion: z.int().optional().describe('With version_conflict: the version to reload'),
  })
  .meta({ id: 'Problem', description: 'An error, as RFC 9457 problem+json; more members may follow the code (e.g. currentVersion)' });

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The statuses ERROR_CATALOG can answer, each with the codes that produce it (for the response descriptions). */
export const codesByStatus = (): Map<number, ErrorCode[]> => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const [code, { status }] of Object.entries(ERROR_CATALOG) as [ErrorCode, { status: number }][]) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  return byStatus;
};
