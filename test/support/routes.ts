import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { API_PREFIX } from '../../src/platform/http/create-app';

const UNPREFIXED = new Set(['health']);

/** Every route the controllers register, as `METHOD /path`, read from Nest's own metadata. */
export function listRoutes(app: INestApplication): string[] {
  const scanner = new MetadataScanner();
  const routes = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const path = [base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')].filter((p) => p && p !== '/').join('/');
        const prefixed = UNPREFIXED.has(path) ? `/${path}` : `/${API_PREFIX}/${path}`;
        routes.add(`${RequestMethod[method]} ${prefixed.replace(/\/+$/, '')}`);
      }
    }
  }
  return [...routes].sort();
}
