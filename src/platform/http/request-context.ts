import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { RequestAuth } from '../../modules/access/request-auth';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Keeps a caller's X-Request-Id when it is sane, else makes one; it lands in logs and audit rows. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const inbound = req.header('x-request-id');
  const id = inbound && REQUEST_ID.test(inbound) ? inbound : randomUUID();
  (req as Request & { id: string }).id = id;
  res.setHeader('X-Request-Id', id);
  next();
}

export function requestIdOf(req: Request): string {
  return (req as Request & { id?: string }).id ?? 'unknown';
}

/** The route as registered (`/api/v1/cases/:id`), never the URL with its ids; `unmatched` when no route took it (or Nest's catch-all 404 did). */
export function routeTemplateOf(req: Request): string {
  const path = (req as Request & { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' && !path.startsWith('*') ? path : 'unmatched';
}

/** Who and what a request's log lines name: ids only, never names or bodies. */
export function requestLogFields(req: Request): { route: string; tenantId?: string; staffId?: string; supporterId?: string } {
  const principal = (req as Request & { auth?: RequestAuth }).auth?.principal;
  return {
    route: routeTemplateOf(req),
    ...(principal && { tenantId: principal.tenantId, [principal.kind === 'staff' ? 'staffId' : 'supporterId']: principal.id }),
  };
}
