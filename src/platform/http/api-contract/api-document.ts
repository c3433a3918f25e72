import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type OperationObject, type ParameterObject } from '@nestjs/swagger';
import { declaredTags } from './api-tags';
import { DESCRIBED } from './operation.decorator';
import { apiComponents } from './openapi-schema';

/** The OpenAPI document of the running application, served at /docs-json and held true by the tests. */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('tsunagi API')
      .setDescription('つなぎ — multi-department welfare case work. Errors are RFC 9457 problem+json, in Japanese or English by Accept-Language.')
      .setVersion('1')
      .addServer('/', 'This service')
      .addBearerAuth()
      .build(),
  );
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.values(item as Record<string, OperationObject>)
      .filter((op) => typeof op === 'object' && 'responses' in op)
      .map((op) => ({ path, op })),
  );
  for (const { path, op } of operations) if (!(op as unknown as Record<string, unknown>)[DESCRIBED]) backfillUndescribed(path, op);
  const used = new Set(operations.flatMap(({ op }) => op.tags ?? []));
  const declared = declaredTags();
  // Tags of controllers not yet described with @ApiTag are still declared, by name only.
  const undeclared = [...used].filter((name) => !declared.some((t) => t.name === name)).map((name) => ({ name }));
  document.tags = [...declared, ...undeclared];
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...apiComponents() } };
  return document;
}

/**
 * Keeps the document valid while controllers still use the old `@ApiOperation`/`@ApiBody` style:
 * the path parameters they leave out and a missing summary. TRANSITIONAL — an operation described
 * with `@Operation` never needs it; remove with `ONLY_DESCRIBED_OPERATIONS` (test/support/api-contract.ts).
 */
function backfillUndescribed(path: string, op: OperationObject): void {
  const parameters = (op.parameters ?? []) as ParameterObject[];
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    if (!parameters.some((p) => p.in === 'path' && p.name === name)) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  op.parameters = parameters;
  op.summary ??= op.operationId;
}
