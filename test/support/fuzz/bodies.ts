import fc from 'fast-check';
import iconv from 'iconv-lite';

/** A JSON Schema as z.toJSONSchema writes it into the OpenAPI document (the subset the routes use). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  example?: unknown;
}

/** Ids to put where a schema wants one: the caller's tenant's, another tenant's (ids of nothing are added). */
export interface IdPool {
  own: string[];
  otherTenant: string[];
}

/** The ids for a field, by its name (`caseId` → cases'); '' for any record at all. */
export type IdsFor = (field: string) => IdPool;

/** What one generated request sends. */
export type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  /** Bytes as they are, under any content type: broken JSON, a CSV, numbers JSON.stringify cannot write. */
  | { kind: 'raw'; contentType: string | null; bytes: Buffer; label: string };

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export const uuidArbitrary = (ids: IdPool) =>
  fc.oneof(
    ...(ids.own.length ? [{ arbitrary: fc.constantFrom(...ids.own), weight: 6 }] : []),
    ...(ids.otherTenant.length ? [{ arbitrary: fc.constantFrom(...ids.otherTenant), weight: 3 }] : []),
    { arbitrary: fc.uuid({ version: 4 }), weight: 1 },
    { arbitrary: fc.constantFrom(NIL_UUID, 'ffffffff-ffff-ffff-ffff-ffffffffffff'), weight: 1 },
  );

/** Text a form would send: never blank, so a fitting body passes the trim-and-min(1) rule. */
const letters = fc.constantFrom(...'あいうえおかきくけこ山田花子本町一二三abcXYZ0189-・'.split(''));
const sane = (min = 0, max = 40) => fc.string({ unit: letters, minLength: Math.max(1, min), maxLength: Math.max(1, min, Math.min(max, 40)) });
const plainDate = fc.date({ min: new Date('1930-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** Values that fit the schema, so the mutations below land one step away from a request the route takes. */
export function fitting(schema: JsonSchema, ids: IdsFor, field = '', depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => fitting(b, ids, field, depth + 1)));
  if (schema.allOf?.length) return fitting(Object.assign({}, ...schema.allOf) as JsonSchema, ids, field, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const record = Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, fitting(child, ids, key, depth + 1)]));
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
    }
    case 'array':
      return fc.array(schema.items ? fitting(schema.items, ids, field, depth + 1) : fc.constant(null), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case 'string':
      if (schema.format === 'uuid') return uuidArbitrary(ids(field));
      if (schema.format === 'date') return plainDate;
      if (schema.format === 'date-time') return plainDate.map((d) => `${d}T09:00:00+09:00`);
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern), { maxLength: schema.maxLength });
      return sane(schema.minLength ?? 0, schema.maxLength);
    case 'integer': {
      // Near the minimum most of the time: versions, counts and years that exist.
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? min + 1000;
      return fc.oneof({ arbitrary: fc.integer({ min, max: Math.min(max, min + 3) }), weight: 3 }, fc.integer({ min, max }));
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ---------------------------------------------------------------------------------------------
// What a hostile client sends instead

/** Past every field's maximum, and (the longest) past the body limit. */
const hugeString = fc.constantFrom(5_000, 40_000).map((n) => 'あ'.repeat(n));
const hostileStrings = fc.oneof(
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
  {
    arbitrary: fc.constantFrom('', ' ', 'a\u0000b', '\u0000', '\ud800', 'x\udfff', '\udc00\ud800', '\u202e逆', '\ufeff', '\u2028', "'; drop table cases; --", '%00', '${{7*7}}', '__proto__', '０１２', '𠮷野家'),
    weight: 4,
  },
);
const extremeNumbers = fc.constantFrom(0, -0, -1, 0.5, 1e-300, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, Number.MAX_VALUE);
const extremeDates = fc.constantFrom(
  '0000-01-01',
  '0001-01-01',
  '1899-12-31',
  '2200-01-01',
  '9999-12-31',
  '2026-02-30',
  '2025-02-29',
  '2026-13-01',
  '2026-11-27T25:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-14:00',
  '+275760-09-13T00:00:00Z',
  '2026-11-27T09:00:00+09:00',
);
const wrongTypes = fc.constantFrom<unknown>(null, true, false, 0, 1, -1, 'x', [], {}, [null], { '': null });
/** Deep nesting stands in the value as a marker and is written out by toJsonText: JSON.stringify overflows at a few thousand levels. */
const DEEP = '__fuzz_deep__';
const deepNesting = fc.record({ [DEEP]: fc.constantFrom(40, 2_000, 20_000), array: fc.boolean() });

/** The JSON text of a generated value, deep nesting included. */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  if (!text.includes(DEEP)) return text;
  return text.replace(new RegExp(`\\{"${DEEP}":(\\d+),"array":(true|false)\\}`, 'g'), (_match, depth: string, array: string) => {
    const n = Number(depth);
    return array === 'true' ? `${'['.repeat(n)}"bottom"${']'.repeat(n)}` : `${'{"a":'.repeat(n)}"bottom"${'}'.repeat(n)}`;
  });
}
const manyUnknownKeys = (ids: IdPool) =>
  fc.constantFrom(1, 50, 3_000, 8_000).map((count) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i % 500 === 0 ? (ids.otherTenant[0] ?? i) : 1])));

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'unknown-keys'; at: number; keys: Record<string, unknown> }
  | { kind: 'huge-array'; at: number; length: number };

const mutation = (ids: IdsFor): fc.Arbitrary<Mutation> =>
  fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('replace' as const),
        at: fc.nat(),
        value: fc.oneof(
          { arbitrary: wrongTypes, weight: 3 },
          { arbitrary: hostileStrings, weight: 3 },
          { arbitrary: extremeNumbers, weight: 2 },
          { arbitrary: extremeDates, weight: 2 },
          { arbitrary: uuidArbitrary(ids('')), weight: 2 },
          { arbitrary: deepNesting, weight: 1 },
        ),
      }),
      weight: 8,
    },
    { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('unknown-keys' as const), at: fc.nat(), keys: manyUnknownKeys(ids('')) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('huge-array' as const), at: fc.nat(), length: fc.constantFrom(100, 10_000) }), weight: 1 },
  );

/** Every place in a value (the value itself first), with a way to change it there. */
function places(root: { value: unknown }): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const found: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [{ parent: root as never, key: 'value' }];
  for (let i = 0; i < found.length && found.length < 500; i++) {
    const { parent, key } = found[i];
    const value = (parent as Record<string | number, unknown>)[key];
    if (value && typeof value === 'object' && !(DEEP in value)) for (const child of Object.keys(value)) found.push({ parent: value as Record<string, unknown>, key: Array.isArray(value) ? Number(child) : child });
  }
  return found;
}

/** Changes a copy: generated values (constants above among them) are shared between runs and never mutated. */
function apply(value: unknown, mutations: Mutation[]): unknown {
  const root = { value: structuredClone(value) };
  for (const m of mutations) {
    const all = places(root);
    const { parent, key } = all[m.at % all.length];
    const target = parent as Record<string | number, unknown>;
    if (m.kind === 'replace') target[key] = structuredClone(m.value);
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else if (parent !== (root as never)) delete target[key];
    } else if (m.kind === 'unknown-keys') {
      const object = target[key];
      target[key] = object && typeof object === 'object' && !Array.isArray(object) ? { ...object, ...m.keys } : { ...m.keys };
    } else {
      const item = target[key];
      // Many small items: a long array, not a long string repeated.
      const small = item === null || typeof item === 'number' || typeof item === 'boolean' || (typeof item === 'string' && item.length <= 40);
      target[key] = Array.from({ length: m.length }, () => (small ? item : 0));
    }
  }
  return root.value;
}

const jsonContentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'application/json; charset=latin1');
const oddContentTypes = fc.constantFrom(null, 'text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml');

/** Bodies JSON.stringify cannot write, or that are not JSON at all. */
const rawJson = fc.oneof(
  fc.constantFrom('{"version": 1e400}', '{"version": -0}', '{"a":1,"a":2}', '{"__proto__": {"admin": true}}', '{"constructor": {"prototype": {"x": 1}}}', '{', '[]', 'null', '"text"', '1', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}'),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/**
 * Requests for a route that takes JSON: mostly fitting bodies with one to three hostile changes
 * (wrong types, missing and unknown keys, huge strings, deep nesting, NUL and lone surrogates,
 * extreme numbers and dates, ids of another tenant), some fitting ones, some not JSON at all.
 */
export function jsonBodies(schema: JsonSchema | undefined, ids: IdsFor): fc.Arbitrary<Body> {
  const base = schema ? fitting(schema, ids) : fc.constant({});
  const json = (value: fc.Arbitrary<unknown>) => value.map((v): Body => ({ kind: 'json', value: v }));
  return fc.oneof(
    { arbitrary: json(fc.tuple(base, fc.array(mutation(ids), { minLength: 1, maxLength: 3 })).map(([value, mutations]) => apply(value, mutations))), weight: 12 },
    { arbitrary: json(base), weight: 2 },
    { arbitrary: json(fc.jsonValue({ maxDepth: 4 })), weight: 1 },
    { arbitrary: fc.tuple(rawJson, fc.oneof(jsonContentTypes, oddContentTypes)).map(([text, contentType]): Body => ({ kind: 'raw', contentType, bytes: Buffer.from(text), label: text.slice(0, 60) })), weight: 2 },
    { arbitrary: fc.tuple(base, oddContentTypes).map(([value, contentType]): Body => ({ kind: 'raw', contentType, bytes: Buffer.from(toJsonText(value)), label: 'fitting JSON, other type' })), weight: 1 },
    { arbitrary: fc.constant<Body>({ kind: 'none' }), weight: 1 },
  );
}

/** Requests for a route that takes a CSV file: its documented example with hostile cells, rows and columns, in several encodings. */
export function csvBodies(schema: JsonSchema | undefined): fc.Arbitrary<Body> {
  const example = typeof schema?.example === 'string' ? schema.example : 'a,b\r\n1,2\r\n';
  const lines = example.split(/\r?\n/).filter(Boolean).map((line) => line.split(','));
  const cell = fc.oneof(hostileStrings.filter((s) => s.length < 1000), fc.constantFrom('"', '""', '"a,b"', '"unterminated', '\r', '\n', 'ｱｲｳ', '要介護9', '1940/13/45'), sane(0, 10));
  const edit = fc.record({ row: fc.nat(), column: fc.nat(), value: cell });
  const file = fc
    .record({
      edits: fc.array(edit, { maxLength: 8 }),
      copies: fc.constantFrom(0, 1, 200),
      extraColumns: fc.constantFrom(0, 3, 5_000),
      eol: fc.constantFrom('\r\n', '\n', '\r'),
      encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'shift_jis', 'utf-16le'),
    })
    .map(({ edits, copies, extraColumns, eol, encoding }): Body => {
      const rows = lines.map((row) => [...row]);
      for (const e of edits) {
        const row = rows[e.row % rows.length];
        row[e.column % row.length] = e.value;
      }
      const data = rows.slice(1);
      for (let i = 0; i < copies; i++) rows.push([...data[i % Math.max(1, data.length)]]);
      if (extraColumns) rows[0].push(...Array.from({ length: extraColumns }, (_, i) => `列${i}`));
      const text = rows.map((row) => row.join(',')).join(eol);
      const bytes = encoding === 'utf-8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) : encoding === 'utf-8' ? Buffer.from(text) : iconv.encode(text, encoding);
      return { kind: 'raw', contentType: 'text/csv', bytes, label: `CSV ${encoding}, ${rows.length} rows, ${edits.length} edited cells, ${extraColumns} extra columns` };
    });
  const garbage = fc.uint8Array({ maxLength: 2000 }).map((bytes): Body => ({ kind: 'raw', contentType: 'text/csv', bytes: Buffer.from(bytes), label: 'random bytes' }));
  return fc.oneof({ arbitrary: file, weight: 8 }, { arbitrary: garbage, weight: 1 }, { arbitrary: jsonBodies(undefined, () => ({ own: [], otherTenant: [] })), weight: 1 });
}
