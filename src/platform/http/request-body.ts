import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import bodyParser from 'body-parser';
import type { Request, RequestHandler, Response } from 'express';
import type { Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AppError, fieldError } from './app-error';

/** What a route reads from the request body: JSON (the default) or a CSV file, and up to how many bytes. */
export interface BodyRule {
  type: 'json' | 'csv';
  limit?: number;
}

const BODY_RULE = 'tsunagi:body';

/** A route whose body is not a small JSON document says so: `@AcceptsBody({ type: 'csv', limit: 20 * MB })`. */
export const AcceptsBody = (rule: BodyRule) => SetMetadata(BODY_RULE, rule);
export const MB = 1024 * 1024;

const MEDIA_TYPES: Record<BodyRule['type'], string[]> = { json: ['application/json', 'application/*+json'], csv: ['text/csv'] };
/** No request schema nests this deep; deeper JSON would only overflow the stack of whatever recurses over it. */
const MAX_JSON_DEPTH = 32;

/**
 * Reads the body only once the route is known and the caller is authenticated and allowed (it runs
 * after the guards), with the route's own type and size limit: an anonymous request never costs a
 * parse, and a CSV file is accepted only where a route takes one.
 */
@Injectable()
export class RequestBodyReader implements NestInterceptor {
  private readonly parsers = new Map<string, RequestHandler>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    if (hasBody(req)) {
      const rule = this.reflector.getAllAndOverride<BodyRule | undefined>(BODY_RULE, [context.getHandler(), context.getClass()]) ?? { type: 'json' };
      if (!req.is(MEDIA_TYPES[rule.type])) {
        throw new AppError('unsupported_media_type', {
          detail: { ja: `本文は ${MEDIA_TYPES[rule.type][0]} で送ってください。`, en: `Send the body as ${MEDIA_TYPES[rule.type][0]}.` },
        });
      }
      await run(this.parser(rule), req, context.switchToHttp().getResponse<Response>());
      if (rule.type === 'json' && depthOf(req.body) > MAX_JSON_DEPTH) {
        throw fieldError('body', 'too_deep', { ja: `本文の入れ子が深すぎます（${MAX_JSON_DEPTH}段まで）。`, en: `The body nests deeper than ${MAX_JSON_DEPTH} levels.` });
      }
    }
    return next.handle();
  }

  private parser(rule: BodyRule): RequestHandler {
    const limit = rule.limit ?? this.config.bodyLimitBytes;
    const key = `${rule.type}:${limit}`;
    let parser = this.parsers.get(key);
    if (!parser) {
      // The media type was checked above; the parser only reads, within the limit.
      parser = rule.type === 'json' ? bodyParser.json({ limit, strict: true, type: () => true }) : bodyParser.raw({ limit, type: () => true });
      this.parsers.set(key, parser);
    }
    return parser;
  }
}

/** GET and HEAD never carry a body this service reads; any other request does when it says so. */
function hasBody(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

function run(parser: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => parser(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
}

/** How deep a parsed JSON value nests, walked without recursion (JSON.parse itself takes any depth). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop()!;
    if (next === null || typeof next !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) break;
    for (const child of Object.values(next)) pending.push([child, depth + 1]);
  }
  return deepest;
}
