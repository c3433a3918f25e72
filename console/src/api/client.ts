import createClient from 'openapi-fetch';
import type { paths } from './api';
import { session } from '../session';
import { currentLanguage } from '../i18n';

/**
 * The typed client of the API, generated from the service's own OpenAPI document (`npm run api:client`
 * writes ./api.d.ts): a path or body the API does not declare is a compile error here.
 */
export const api = createClient<paths>({ baseUrl: '' });

api.use({
  onRequest({ request }) {
    const signedIn = session.get();
    if (signedIn) request.headers.set('Authorization', `Bearer ${signedIn.token}`);
    request.headers.set('Accept-Language', currentLanguage());
    return request;
  },
  onResponse({ response }) {
    // The token expired or was revoked: back to sign-in (the page keeps what was being typed).
    if (response.status === 401 && session.get()) session.end('expired');
    return response;
  },
});

/** A problem+json answer, with its message in the caller's language. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

/** Unwraps an openapi-fetch answer for TanStack Query: the data, or a thrown ApiError. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await call;
  if (error !== undefined || body === undefined) throw new ApiError({ status: response.status, ...(error as object) });
  return body;
}
