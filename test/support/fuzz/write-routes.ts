import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { z } from 'zod';
import { DEMO_ACCOUNTS, tenantId } from '../../../seeds/demo-data';
import { AbilityFactory } from '../../../src/modules/access/ability.factory';
import { PUBLIC_ROUTE, REQUIRED_PERMISSION, type RequiredPermission } from '../../../src/modules/access/access.decorators';
import { PrincipalLoader } from '../../../src/modules/directory/principal-loader';
import { Db } from '../../../src/platform/database/db';
import { operationOf } from '../../../src/platform/http/api-contract/operation.decorator';
import { describeRoutes, type RouteDescription } from '../routes';
import type { TestApp } from '../test-app';
import type { JsonSchema } from './bodies';

export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** A write route as the fuzzer sees it: from the router, joined with the OpenAPI document the app serves. */
export interface WriteRoute {
  method: string;
  /** `/api/v1/cases/:id`. */
  path: string;
  /** The request body as documented: its media type and schema (none when undocumented). */
  body: { mediaType: 'json' | 'csv'; schema?: JsonSchema };
  /** Whether the handler takes the body (a @Body parameter). */
  readsBody: boolean;
  /** Demo logins of the fixture's tenant whom the route's declared permission lets in. */
  callers: string[];
  /** Each path parameter: the schema its validation pipe checks (an enum of actions, a uuid). */
  params: { name: string; schema: JsonSchema }[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema?: JsonSchema }> } }>>;
}

/** Every write route the app registers, found by itself: a route added later is in this list without anyone adding it. */
export async function writeRoutes(t: TestApp, tenant: string): Promise<WriteRoute[]> {
  const docs = await t.http().get('/docs-json');
  if (docs.status !== 200) throw new Error(`the fuzzer reads request bodies from /docs-json: ${docs.status}`);
  const document = docs.body as OpenApiDocument;
  const abilities = await abilitiesOf(t, tenant);
  return describeRoutes(t.app)
    .filter((route) => WRITE_METHODS.includes(route.method))
    .sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`))
    .map((route) => {
      const operation = document.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      const content = operation?.requestBody?.content ?? {};
      const csv = content['text/csv'];
      return {
        method: route.method,
        path: route.path,
        body: csv ? { mediaType: 'csv', schema: csv.schema } : { mediaType: 'json', schema: content['application/json']?.schema },
        callers: callersOf(route, abilities),
        params: pathParams(route),
        readsBody: ((op) => !!(op?.body || op?.bodyMedia))(operationOf(route.handler as Function)) || Object.keys(routeArgs(route)).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY)),
      };
    });
}

type Abilities = { login: string; can: (permission: RequiredPermission) => boolean }[];

async function abilitiesOf(t: TestApp, tenant: string): Promise<Abilities> {
  const db = t.app.get(Db);
  const loader = t.app.get(PrincipalLoader, { strict: false });
  const factory = t.app.get(AbilityFactory, { strict: false });
  const abilities: Abilities = [];
  for (const account of DEMO_ACCOUNTS.filter((a) => a.tenant === tenant)) {
    const principal = await db.inTenant(tenantId(tenant), (em) => loader.load(em, account.login));
    if (!principal) continue;
    const ability = factory.for(principal);
    abilities.push({ login: account.login, can: ({ action, subject }) => ability.can(action, subject) });
  }
  return abilities;
}

/** Whoever passes the route's guard, exactly as PoliciesGuard decides it. */
function callersOf(route: RouteDescription, abilities: Abilities): string[] {
  const declared = <T>(key: string) => (Reflect.getMetadata(key, route.handler) ?? Reflect.getMetadata(key, route.controller)) as T | undefined;
  if (declared<boolean>(PUBLIC_ROUTE)) return abilities.map((a) => a.login);
  const permission = declared<RequiredPermission>(REQUIRED_PERMISSION);
  return permission ? abilities.filter((a) => a.can(permission)).map((a) => a.login) : [];
}

/** The handler's parameters as Nest records them: `${RouteParamtypes}:${index}` → name and pipes. */
const routeArgs = (route: RouteDescription) => (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.handlerName) ?? {}) as Record<string, { data?: string; pipes?: unknown[] }>;

function pathParams(route: RouteDescription): WriteRoute['params'] {
  return [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => {
    const schema = route.params[name];
    return { name, schema: schema ? (z.toJSONSchema(schema, { io: 'input' }) as JsonSchema) : { type: 'string' } };
  });
}

const forms = (stem: string) => [stem, `${stem}s`, stem.replace(/y$/, 'ies')];

/** The tables named by some words, most specific first: `coordination cases` → coordination_cases; `entries` → register_entries. */
function tablesNamed(words: string[], tables: string[]): string[] {
  for (let i = 0; i < words.length; i++) {
    const stems = forms(words.slice(i).join('_'));
    const exact = stems.filter((name) => tables.includes(name));
    if (exact.length > 0) return exact;
    const suffixed = tables.filter((table) => stems.some((stem) => table.endsWith(`_${stem}`)));
    if (suffixed.length > 0) return suffixed;
  }
  return tables;
}

/** The tables a path parameter names records of: `/coordination/cases/:id` → coordination_cases, `:consentId` → consents. */
export function tablesForParam(path: string, param: string, tables: string[]): string[] {
  const segments = path.split('/');
  const at = segments.indexOf(`:${param}`);
  const words = param === 'id' ? segments.slice(Math.max(0, at - 2), at).flatMap((s) => s.split('-')) : camelWords(param.replace(/Id$/, ''));
  return tablesNamed(words, tables);
}

/** The tables a body field names records of: `toDepartmentId` → departments, `entryIds` → register_entries; any other field, every table. */
export function tablesForField(field: string, tables: string[]): string[] {
  return /Ids?$/.test(field) ? tablesNamed(camelWords(field.replace(/Ids?$/, '')), tables) : tables;
}

const camelWords = (name: string) => name.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
