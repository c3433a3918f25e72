import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { z } from 'zod';
import { API_PREFIX } from '../../src/platform/http/create-app';
import { HEALTH_PATHS } from '../../src/platform/http/health.controller';
import { ZodValidationPipe } from '../../src/platform/http/zod-validation.pipe';
import { operationOf } from '../../src/platform/http/api-contract/operation.decorator';

const UNPREFIXED = new Set(HEALTH_PATHS);

/** A registered route, its handler, and the schemas the handler validates path parameters and query with. */
export interface RouteDescription {
  method: string;
  /** `/api/v1/cases/:id`. */
  path: string;
  controller: new (...args: never[]) => object;
  handlerName: string;
  handler: object;
  /** Every `:name` of the path, with the schema validating it (if the handler names one). */
  params: Record<string, z.ZodType | undefined>;
  query: z.ZodType | undefined;
}

interface RouteArg {
  data?: unknown;
  pipes?: unknown[];
}

function schemaOf(arg: RouteArg | undefined): z.ZodType | undefined {
  const pipe = arg?.pipes?.find((p) => p instanceof ZodValidationPipe);
  if (!pipe) return undefined;
  const schema = (pipe as unknown as { schema?: z.ZodType }).schema;
  if (!schema?._zod) throw new Error('ZodValidationPipe no longer keeps its schema as `schema`: update test/support/routes.ts');
  return schema;
}

/** Every route the controllers register, read from Nest's own metadata (paths, methods, param and query schemas). */
export function describeRoutes(app: INestApplication): RouteDescription[] {
  const scanner = new MetadataScanner();
  const routes = new Map<string, RouteDescription>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const joined = [base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')].filter((p) => p && p !== '/').join('/');
        const path = (UNPREFIXED.has(joined) ? `/${joined}` : `/${API_PREFIX}/${joined}`).replace(/\/+$/, '');
        const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, RouteArg>);
        const argsOf = (type: RouteParamtypes) => args.filter(([key]) => key.split(':')[0] === String(type)).map(([, arg]) => arg);
        // Described with @Operation: the schemas are the operation's; else the handler's validation pipes.
        const operation = operationOf(handler as Function);
        const params = Object.fromEntries(
          [...path.matchAll(/:([A-Za-z_$][\w$]*)/g)].map(([, param]) => [
            param,
            operation ? operation.params?.[param] : schemaOf(argsOf(RouteParamtypes.PARAM).find((a) => a.data === param)),
          ]),
        );
        const query = operation ? operation.query : schemaOf(argsOf(RouteParamtypes.QUERY).find((a) => a.data === undefined));
        const route = { method: RequestMethod[method], path, controller, handlerName: name, handler, params, query };
        routes.set(`${route.method} ${path}`, route);
      }
    }
  }
  return [...routes.keys()].sort().map((key) => routes.get(key)!);
}

/** Every route the controllers register, as `METHOD /path`. */
export function listRoutes(app: INestApplication): string[] {
  return describeRoutes(app).map((r) => `${r.method} ${r.path}`);
}
