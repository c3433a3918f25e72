import type { Express, NextFunction, Request, Response } from 'express';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/config';
import { AppModule } from '../../app.module';
import { buildApiDocument } from './api-contract/api-document';
import { accessLog, NestPinoLogger } from './logger';
import { Metrics } from '../observability/metrics';
import { HEALTH_PATHS } from './health.controller';
import { AppError } from './app-error';
import { ProblemFilter } from './problem.filter';
import { serveConsole } from './console-files';
import { requestIdMiddleware } from './request-context';

export const API_PREFIX = 'api/v1';

/** The HTTP application, exactly as `npm start` and the tests run it. */
export async function createApp(config: AppConfig, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: new NestPinoLogger(logger),
  });
  app.set('trust proxy', 'loopback');
  const metrics = app.get(Metrics);
  app.use(metrics.observeRequests);
  app.use(requestIdMiddleware);
  app.use(accessLog(logger));
  // The console signing in at an identity provider fetches its discovery document and token endpoint.
  const identityProvider = config.auth.mode === 'external' && config.auth.console ? [new URL(config.auth.issuer).origin] : [];
  app.use(helmet({ contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'], 'connect-src': ["'self'", ...identityProvider] } } }));
  // Outside /api and Nest's router: no principal, no rate limit; METRICS_TOKEN guards it when set.
  if (config.metrics.enabled) (app.getHttpAdapter().getInstance() as Express).get('/metrics', metrics.serve);
  // Bodies are read per route, after authentication (RequestBodyReader), never here.
  // Whatever the API answers may be personal data: no browser or proxy keeps a copy.
  app.use(`/${API_PREFIX}`, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Failures before routing (a malformed URL): render them as problems too.
  const problems = app.get(ProblemFilter);
  // Nest answers unknown /api/v1 paths itself (a problem); the rest of /api (/api, /api/v2/…) would get
  // Express's HTML page. Anything outside /api (`/` included) is the console's (console-files.ts).
  app.use('/api', (req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/v1' || req.path.startsWith('/v1/')) return next();
    void problems.render(new AppError('route_not_found'), req, res);
  });
  app.use(serveConsole());
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => problems.render(error, req, res));
  routeUnderApiPrefix(app);
  if (config.apiDocs) serveApiDocs(app);
  return app;
}

/** Every route lives under /api/v1 but the health probes. */
export function routeUnderApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: HEALTH_PATHS });
}

/** The OpenAPI document at /docs-json and its viewer at /docs (API_DOCS; off in production by default). */
function serveApiDocs(app: NestExpressApplication): void {
  SwaggerModule.setup('docs', app, buildApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
