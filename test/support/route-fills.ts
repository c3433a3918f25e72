import { z } from 'zod';
import type { IdPool } from './leak-fixture';
import type { RouteDescription } from './routes';

/** The kind of id a `:id` stands for, by the collection it follows (the longest match wins). */
const ID_KINDS: Record<string, string> = {
  cases: 'case',
  people: 'person',
  'coordination/cases': 'coordination',
  escalations: 'escalation',
  tasks: 'task',
  meetings: 'meeting',
  referrals: 'referral',
  'information-requests': 'informationRequest',
  staff: 'staff',
  'evacuation-support/entries': 'registerEntry',
  'evacuation-support/imports': 'import',
  'evacuation-support/disasters': 'disaster',
  'evacuation-support/renewal-campaigns': 'renewalCampaign',
  'evacuation-support/return-tasks': 'returnTask',
  'audit/access-grants': 'accessGrant',
  'audit/verifications': 'verification',
  'role-changes': 'roleChange',
  'participation/resources': 'resource',
  'participation/connections': 'connection',
  'participation/volunteers': 'volunteer',
  'participation/window-visits': 'windowVisit',
};
/** Other names than `<kind>Id` for a kind, in paths and queries. */
const NAMED_KINDS: Record<string, string> = { actorId: 'staff', district: 'district', districtCode: 'district', dvMeasureId: 'dvMeasure', planTaskId: 'task' };

/** A route's requests: `baseline` fills what is required; `variants` add one optional query key each. */
export interface RouteFills {
  baseline: string[];
  variants: string[];
  /** Parameters nothing in the pool fits: the scan cannot reach the route, which is a failure. */
  problems: string[];
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let inner = schema;
  let optional = false;
  for (;;) {
    if (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) {
      optional ||= !(inner instanceof z.ZodNullable);
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodPipe) {
      inner = inner.in as z.ZodType;
    } else {
      return { inner, optional };
    }
  }
}

/** Values to try for a parameter: the options of an enum, else the pool's ids of the kind its name says. */
function valuesFor(name: string, schema: z.ZodType | undefined, pool: IdPool, kindFromPath?: string): string[] | undefined {
  const inner = schema && unwrap(schema).inner;
  if (inner instanceof z.ZodEnum) return inner.options.map(String);
  if (inner instanceof z.ZodLiteral) return [...inner.values].map(String);
  const kind = kindFromPath ?? NAMED_KINDS[name] ?? name.replace(/Id$/, '');
  return pool[kind]?.length ? pool[kind] : undefined;
}

function idKind(path: string, param: string): string | undefined {
  const before = path.slice(0, path.indexOf(`:${param}`)).replace(/\/$/, '');
  const match = Object.keys(ID_KINDS)
    .filter((collection) => before.endsWith(`/${collection}`))
    .sort((a, b) => b.length - a.length)[0];
  return match && ID_KINDS[match];
}

const product = (lists: [string, string[]][]): Record<string, string>[] =>
  lists.reduce<Record<string, string>[]>((acc, [name, values]) => acc.flatMap((filled) => values.map((v) => ({ ...filled, [name]: v }))), [{}]);

const withQuery = (path: string, query: Record<string, string>) => (Object.keys(query).length ? `${path}?${new URLSearchParams(query)}` : path);

/** Every concrete request for a route, its path parameters and query filled from the pool by name. */
export function fillRoute(route: Pick<RouteDescription, 'method' | 'path' | 'params' | 'query'>, pool: IdPool): RouteFills {
  const where = `${route.method} ${route.path}`;
  const problems: string[] = [];
  const paramValues = Object.entries(route.params).map(([name, schema]): [string, string[]] => {
    const values = valuesFor(name, schema, pool, name === 'id' ? (idKind(route.path, name) ?? '?') : undefined);
    if (!values) problems.push(`no fixture id for :${name} on ${where}; add it to the pool (test/support/leak-fixture.ts, route-fills.ts)`);
    return [name, values ?? []];
  });
  const shape = route.query ? unwrap(route.query).inner : undefined;
  const keys = shape instanceof z.ZodObject ? Object.entries(shape.shape as Record<string, z.ZodType>) : [];
  const required: [string, string[]][] = [];
  const optional: [string, string[]][] = [];
  for (const [key, schema] of keys) {
    const values = valuesFor(key, schema, pool);
    if (!unwrap(schema).optional) {
      if (!values) problems.push(`no fixture value for ?${key} on ${where}; add it to the pool (test/support/leak-fixture.ts, route-fills.ts)`);
      required.push([key, values ?? []]);
    } else if (values) {
      optional.push([key, values]);
    }
  }
  const paths = product(paramValues).map((params) => route.path.replace(/:([A-Za-z_$][\w$]*)/g, (_, name: string) => encodeURIComponent(params[name])));
  const queries = product(required);
  const baseline = paths.flatMap((path) => queries.map((query) => withQuery(path, query)));
  const variants = paths.flatMap((path) => queries.flatMap((query) => optional.flatMap(([key, values]) => values.map((v) => withQuery(path, { ...query, [key]: v })))));
  return { baseline, variants, problems };
}
