import { z } from 'zod';

/** An OpenAPI 3.0 Schema Object, as plain JSON. */
export type OpenApiSchema = Record<string, unknown>;

/**
 * The named schemas the document shares under `#/components/schemas`: every zod schema with
 * `.meta({ id })` met while converting lands here once, and operations refer to it by `$ref`.
 */
const components = new Map<string, OpenApiSchema>();

export const apiComponents = (): Record<string, OpenApiSchema> => Object.fromEntries([...components].sort(([a], [b]) => a.localeCompare(b)));

const componentRef = (name: string) => `#/components/schemas/${name}`;

/**
 * A zod schema as an OpenAPI 3.0 Schema Object (no JSON Schema 2020-12 keywords: `nullable` rather
 * than `type: "null"`, `enum` rather than `const`, no `$schema`). Schemas with an id become shared
 * components; `io: 'input'` describes what a request may send (defaults make fields optional),
 * `'output'` what an answer holds. An input that differs from the output of the same id is named
 * `<id>Input`, so one name never means two shapes.
 */
export function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output'): OpenApiSchema {
  const converted = nullInEnums(z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' })) as OpenApiSchema & {
    definitions?: Record<string, OpenApiSchema>;
  };
  const { definitions = {}, ...root } = converted;
  const names = new Map<string, string>();
  for (const [id, definition] of Object.entries(definitions)) names.set(id, nameFor(id, definition, io));
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        key === '$ref' && typeof child === 'string' ? componentRef(names.get(child.replace('#/definitions/', '')) ?? child) : rewrite(child),
      ]),
    );
  };
  for (const [id, definition] of Object.entries(definitions)) components.set(names.get(id)!, rewrite(definition) as OpenApiSchema);
  return rewrite(root) as OpenApiSchema;
}

/** OpenAPI 3.0.3: `nullable` does not widen an `enum`; null must be one of its values (validators hold to that). */
function nullInEnums(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullInEnums);
  if (!value || typeof value !== 'object') return value;
  const schema = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, key === 'enum' ? child : nullInEnums(child)])) as OpenApiSchema;
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  return schema;
}

function nameFor(id: string, definition: OpenApiSchema, io: 'input' | 'output'): string {
  const same = (name: string) => !components.has(name) || sameShape(components.get(name)!, definition);
  if (same(id)) return id;
  if (io === 'input' && same(`${id}Input`)) return `${id}Input`;
  throw new Error(`two different schemas are both named ${id} in the API document: give one another .meta({ id })`);
}

/** Refs are compared by the id they name, before and after rewriting. */
const sameShape = (a: unknown, b: unknown) => normalise(a) === normalise(b);
const normalise = (value: unknown) => JSON.stringify(value).replaceAll('#/definitions/', '').replaceAll('#/components/schemas/', '');

/** The id a schema was given with `.meta({ id })`, if any. */
export const schemaId = (schema: z.ZodType): string | undefined => z.globalRegistry.get(schema)?.id;

/** For the old-style `@ApiBody({ schema: openApiBody(s) })` of controllers not yet on `@Operation`. */
export const openApiBody = (schema: z.ZodType) => toOpenApiSchema(schema, 'input');
