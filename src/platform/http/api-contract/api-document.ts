import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { declaredTags } from './api-tags';
import { apiComponents } from './openapi-schema';
import { describeOperations } from './operation.decorator';

/** The OpenAPI document of the running application, served at /docs-json and held true by the tests. */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  describeOperations();
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
  // Every tag is declared with its description by @ApiTag; test/e2e/api-contract.e2e.spec.ts finds any that is not.
  document.tags = declaredTags();
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...apiComponents() } };
  return document;
}
