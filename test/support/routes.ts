import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { API_PREFIX } from '../../src/platform/http/create-app';

const UNPREFIXED = new Set(['health']);

export interface RegisteredRoute {
  method: string;
  /** `/api/v1/cases/:id`. */
  path: string;
  controller: new (...args: never[]) => object;
  handlerName: string;
  handler: object;
}

/** Every route the controllers register, read from Nest's own metadata. */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const scanner = new MetadataScanner();
  const routes = new Map<string, RegisteredRoute>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const handlerName of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[handlerName] as object;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const path = [base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')].filter((p) => p && p !== '/').join('/');
        const prefixed = (UNPREFIXED.has(path) ? `/${path}` : `/${API_PREFIX}/${path}`).replace(/\/+$/, '');
        const route = { method: RequestMethod[method], path: prefixed, controller, handlerName, handler };
        routes.set(`${route.method} ${route.path}`, route);
      }
    }
  }
  return [...routes.values()];
}

/** Every route the controllers register, as `METHOD /path`. */
export function listRoutes(app: INestApplication): string[] {
  return registeredRoutes(app)
    .map((r) => `${r.method} ${r.path}`)
    .sort();
}
