import { applyDecorators, createParamDecorator, Delete, Get, HttpCode, Patch, Post, Put, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ApiBody, ApiConsumes, ApiExtension, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { bilingual } from '../input';
import { parseOrRefuse } from '../zod-validation.pipe';
import { schemaId, toOpenApiSchema } from './openapi-schema';
import { codesByStatus, PROBLEM_MEDIA_TYPE, ProblemSchema } from './problem.schema';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The 2xx answer: a JSON body (a schema with `.meta({ id })`), no body (204), or a file of a media type. */
export type SuccessSpec =
  | { status?: 200 | 201 | 202; schema: z.ZodType; description?: string }
  | { status: 204; description?: string }
  | { status?: 200; media: string; description?: string };

export interface OperationSpec {
  /** Method and path below the controller's prefix: `'GET referrals'`, `'POST referrals/:id/actions/:action'`. */
  route: `${Method} ${string}`;
  /** The operationId, a verb phrase clients will call: `listReferrals`, `actOnReferral`. */
  id: string;
  summary: { ja: string; en: string };
  description?: string;
  /** One schema per `:name` in the route, exactly. */
  params?: Record<string, z.ZodType>;
  /** An object schema: each key is documented as a query parameter (optional if the schema accepts it missing). */
  query?: z.ZodObject;
  /** The JSON body; `bodyMedia` for any other (e.g. `text/csv`, read as bytes by RequestBodyReader; `Input.body()` is then a non-empty Buffer). */
  body?: z.ZodType;
  bodyMedia?: string;
  /** Request headers by lower-case name, e.g. `IF_MATCH`. Idempotency-Key is documented on every authenticated POST by itself. */
  headers?: Record<string, z.ZodType>;
  response: SuccessSpec;
  /** Error statuses this operation answers besides the ones every operation may (see `COMMON_ERRORS`). */
  errors?: number[];
  /** Anonymous (`@Public()`): no 401/403, no rate limit, no Idempotency-Key. */
  public?: boolean;
}

/** `If-Match` as every command takes it: optional, the body's `version` does the same. */
export const IF_MATCH = {
  'if-match': z.string().max(32).optional().describe('The version read (`3` or `"3"`), instead of `version` in the body; stale → 409 with currentVersion'),
};

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Retries with the same key return the first answer (1–255 visible ASCII characters); see the README',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

/** Statuses any operation may answer: a database outage, a bug; and for signed-in ones 401, 403 and the rate limit. */
const COMMON_ERRORS = { always: [500, 503], signedIn: [401, 403, 429], withInput: [400], withBody: [413, 415], post: [400, 409, 422] };

const OPERATION = 'tsunagi:operation';
/** Marks operations described by `@Operation` in the document: the contract test holds them to it (see test/support/api-contract.ts). */
export const DESCRIBED = 'x-tsunagi-described';

/**
 * ONE description of an HTTP operation, for the router, the validation and the OpenAPI document alike:
 *
 * ```ts
 * @Operation({
 *   route: 'POST referrals/:id/actions/:action', id: 'actOnReferral',
 *   summary: { ja: '依頼に応答する', en: 'Answer a referral' },
 *   params: { id: z.uuid(), action: referralActionParam }, body: referralActionBodySchema, headers: IF_MATCH,
 *   response: { schema: ReferralSummarySchema }, errors: [404, 409, 422],
 * })
 * act(@Input.param('id') id: string, @Input.param('action') action: ReferralAction, @Input.body() body: ReferralActionBody, @Input.header('if-match') ifMatch?: string)
 * ```
 *
 * It sets the route (`@Get`/`@Post`…), the success status (`@HttpCode`), the operationId, summary
 * (`ja / en`), path, query and header parameters, the request body, the 2xx response (named component
 * from the schema's `.meta({ id })`, or 204, or a media type) and problem+json errors (400 when there
 * is input or a write, 413/415 on writes, 401/403/429 unless public, 409/422 on POSTs for
 * Idempotency-Key, 500/503 always, plus `errors`). Handlers read their input only through `Input.*`, which validates with these same
 * schemas (ZodValidationPipe's messages): Nest's own `@Body/@Query/@Param/@Headers` are refused at
 * startup on an operation, so what is validated is what is documented.
 */
export function Operation(spec: OperationSpec): MethodDecorator {
  const [method, path] = splitRoute(spec.route);
  const status = spec.response.status ?? (method === 'POST' ? 201 : 200);
  const errors = errorStatuses(spec, method);
  // What the router needs, now; what only the OpenAPI document reads (zod → JSON Schema, the costliest
  // part of loading the controllers), when the document is built: see describeOperations.
  const route = applyDecorators(ROUTERS[method](path), HttpCode(status), SetMetadata(OPERATION, spec));
  const describe = () =>
    applyDecorators(
      ApiOperation({ operationId: spec.id, summary: `${spec.summary.ja} / ${spec.summary.en}`, description: spec.description, ...(spec.public && { security: [] }) }),
      ApiExtension(DESCRIBED, true),
      ...Object.entries(spec.params ?? {}).map(([name, schema]) => ApiParam({ name, required: true, schema: toOpenApiSchema(schema, 'input') as never })),
      ...queryParameters(spec.query),
      ...Object.entries(spec.headers ?? {}).map(([name, schema]) =>
        ApiHeader({ name: headerName(name), required: !schema.safeParse(undefined).success, schema: toOpenApiSchema(schema, 'input') as never, description: schema.description }),
      ),
      ...(method === 'POST' && !spec.public ? [ApiHeader(IDEMPOTENCY_KEY as never)] : []),
      ...requestBody(spec),
      ApiResponse(successResponse(spec.response, status)),
      ...errors.map((code) => ApiResponse({ status: code, description: errorDescription(code), content: { [PROBLEM_MEDIA_TYPE]: { schema: problemRef() } } })),
    );
  // The mistakes a description would meet, found at startup all the same.
  errors.forEach(errorDescription);
  if ('schema' in spec.response && !schemaId(spec.response.schema)) throw new Error(`@Operation ${spec.id}: the response schema needs a name: .meta({ id: "ReferralSummary" }) (a page: pageOf(item))`);
  if (spec.body && spec.bodyMedia) throw new Error(`@Operation ${spec.id}: body (JSON) or bodyMedia, not both`);
  return (target, key, descriptor) => {
    checkInputs(spec, path, target, key);
    undescribed.push(() => describe()(target, key, descriptor));
    return route(target, key, descriptor);
  };
}

/** Operations whose OpenAPI description is still to be written, in the order they were declared. */
const undescribed: Array<() => void> = [];

/**
 * Writes the OpenAPI description of every operation declared so far (once each), in declaration
 * order, as `@Operation` used to at load time: call before building the document.
 */
export function describeOperations(): void {
  for (const describe of undescribed.splice(0)) describe();
}

type Part = 'body' | 'query' | 'params' | 'headers';
/** The factories behind `Input.*`, so `@Operation` can check each has its schema. */
const INPUT_PARTS = new Map<Function, Part>();

function inputDecorator(part: Part, read: (req: Request, name: string) => unknown, prefix: (name: string) => string) {
  const factory = (name: string, ctx: ExecutionContext) => parseOrRefuse(specPart(ctx, part, name), read(requestOf(ctx), name), prefix(name));
  INPUT_PARTS.set(factory, part);
  return createParamDecorator(factory);
}

/** What an `@Operation` handler receives, validated against the operation's own schemas (400 ja/en as ZodValidationPipe). */
export const Input = {
  body: inputDecorator('body', (req) => req.body, () => 'body') as () => ParameterDecorator,
  query: inputDecorator('query', (req) => req.query, () => 'query') as () => ParameterDecorator,
  param: inputDecorator('params', (req, name) => req.params[name], (name) => `path.${name}`) as (name: string) => ParameterDecorator,
  header: inputDecorator('headers', (req, name) => req.header(name), (name) => `header.${name}`) as (name: string) => ParameterDecorator,
};

/** The operation spec of a handler, for tests and tooling. */
export const operationOf = (handler: Function): OperationSpec | undefined => Reflect.getMetadata(OPERATION, handler);

// --- building the description ---------------------------------------------------------------

const ROUTERS: Record<Method, (path: string) => MethodDecorator> = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete };

function splitRoute(route: OperationSpec['route']): [Method, string] {
  const [method, path = ''] = route.split(' ') as [Method, string?];
  if (!ROUTERS[method]) throw new Error(`@Operation route "${route}": start with GET, POST, PUT, PATCH or DELETE`);
  return [method, path];
}

const headerName = (name: string) => name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

function errorStatuses(spec: OperationSpec, method: Method): number[] {
  // Any body sent to a write is parsed (malformed JSON is a 400), whether or not the operation takes one.
  const hasInput = !!(spec.params || spec.query || spec.headers || spec.body || spec.bodyMedia) || method !== 'GET';
  const statuses = [
    ...COMMON_ERRORS.always,
    ...(spec.public ? [] : COMMON_ERRORS.signedIn),
    ...(hasInput ? COMMON_ERRORS.withInput : []),
    // RequestBodyReader reads a body sent to any POST/PUT/PATCH/DELETE, even one that takes none: 413 and 415 there too.
    ...(spec.body || spec.bodyMedia || method !== 'GET' ? COMMON_ERRORS.withBody : []),
    ...(method === 'POST' && !spec.public ? COMMON_ERRORS.post : []),
    ...(spec.errors ?? []),
  ];
  return [...new Set(statuses)].sort((a, b) => a - b);
}

function errorDescription(status: number): string {
  const codes = codesByStatus().get(status);
  if (!codes) throw new Error(`@Operation errors: no error code answers ${status} (see ERROR_CATALOG)`);
  return `Problem: ${codes.join(', ')}`;
}

const problemRef = () => toOpenApiSchema(ProblemSchema, 'output');

function successResponse(success: SuccessSpec, status: number) {
  if ('schema' in success) {
    return { status, description: success.description ?? 'OK', content: { 'application/json': { schema: toOpenApiSchema(success.schema, 'output') } } };
  }
  if ('media' in success) return { status, description: success.description ?? 'A file', content: { [success.media]: { schema: { type: 'string', format: 'binary' } } } };
  return { status, description: success.description ?? 'Done; no content' };
}

function queryParameters(query: z.ZodObject | undefined): MethodDecorator[] {
  return Object.entries(query?.shape ?? {}).map(([name, schema]) =>
    ApiQuery({ name, required: !(schema as z.ZodType).safeParse(undefined).success, schema: toOpenApiSchema(schema as z.ZodType, 'input') as never, description: (schema as z.ZodType).description }),
  );
}

function requestBody(spec: OperationSpec): MethodDecorator[] {
  if (spec.body) return [ApiBody({ required: true, schema: toOpenApiSchema(spec.body, 'input') as never })];
  // ApiBody has no media type of its own (a `content` option is dropped): ApiConsumes names it.
  if (spec.bodyMedia) return [ApiConsumes(spec.bodyMedia), ApiBody({ required: true, schema: { type: 'string', format: 'binary' } })];
  return [];
}

// --- keeping validation and description one -------------------------------------------------

const NEST_INPUT_DECORATORS = new Set(['3', '4', '5', '6']); // RouteParamtypes BODY, QUERY, PARAM, HEADERS

/** Fails at startup when the route, the schemas and the handler's parameters disagree. */
function checkInputs(spec: OperationSpec, path: string, target: object, key: string | symbol): void {
  const where = `@Operation ${spec.id}`;
  const routeParams = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]).sort();
  const declared = Object.keys(spec.params ?? {}).sort();
  if (routeParams.join() !== declared.join()) throw new Error(`${where}: the route has params [${routeParams}] but the spec describes [${declared}]`);
  const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key) ?? {}) as Record<string, { factory?: unknown; data?: unknown }>);
  for (const [argKey, arg] of args) {
    if (NEST_INPUT_DECORATORS.has(argKey.split(':')[0])) throw new Error(`${where}: read input with Input.body/query/param/header, not Nest's @Body/@Query/@Param/@Headers`);
    const part = INPUT_PARTS.get(arg.factory as Function);
    if (part && !hasPart(spec, part, arg.data as string | undefined)) throw new Error(`${where}: Input.${part}(${String(arg.data ?? '')}) has no schema in the spec`);
  }
}

/** A file body (`bodyMedia`) as `Input.body()` gives it: the bytes, never empty. */
const fileBody = (media: string) =>
  z.custom<Buffer>((value) => Buffer.isBuffer(value) && value.length > 0, bilingual({ ja: `ファイルを Content-Type: ${media} で送ってください。`, en: `Send the file with Content-Type: ${media}.` }));

function hasPart(spec: OperationSpec, part: Part, name?: string): boolean {
  const value = part === 'body' ? (spec.body ?? spec.bodyMedia) : spec[part];
  if (!value) return false;
  return name === undefined || (part !== 'params' && part !== 'headers') || name in (value as Record<string, unknown>);
}

function specPart(ctx: ExecutionContext, part: Part, name: string | undefined): z.ZodType {
  const spec = operationOf(ctx.getHandler());
  const value = part === 'body' && spec?.bodyMedia ? fileBody(spec.bodyMedia) : spec?.[part];
  const schema = part === 'body' || part === 'query' ? value : (value as Record<string, z.ZodType> | undefined)?.[name ?? ''];
  if (!schema) throw new Error(`Input.${part}(${name ?? ''}) on a handler whose @Operation describes none`);
  return schema as z.ZodType;
}

const requestOf = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<Request>();
