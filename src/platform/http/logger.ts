import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { Request } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { HEALTH_PATHS } from './health.controller';
import { requestIdOf, requestLogFields } from './request-context';

/** Paths probed every few seconds by load balancers and monitoring: no access line for them. */
const UNLOGGED_PATHS = new Set([...HEALTH_PATHS.map((path) => `/${path}`), '/metrics']);

/** Structured JSON logs on stdout (or `destination`: tests read them). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'tsunagi' }, redact: ['req.headers.authorization', 'req.headers.cookie'] };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * One access line per request: request id, method, path without its query (searches may name people),
 * route template, status, content length, duration, and the tenant and staff or supporter id once
 * authenticated. No headers and no bodies.
 */
export function accessLog(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (req) => requestIdOf(req as Request),
    customAttributeKeys: { reqId: 'requestId' },
    // The request's own logger (req.log) carries its id only; the access line adds the rest.
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage) => ({ method: req.method, path: (req as Request).originalUrl?.split('?')[0] ?? req.url?.split('?')[0] }),
      // A streamed answer (CSV) has no length: the field is left out rather than logged as 0.
      res: (res: ServerResponse) => ({ statusCode: res.statusCode, contentLength: lengthOf(res) }),
    },
    customSuccessObject: (req, _res, line) => ({ ...requestLogFields(req as Request), ...line }),
    // A failed request's cause is logged, with its stack, where it is rendered (ProblemFilter).
    customErrorObject: (req, _res, _error, { res, responseTime }) => ({ ...requestLogFields(req as Request), res, responseTime }),
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => UNLOGGED_PATHS.has((req.url ?? '').split('?')[0]) },
  });
}

function lengthOf(res: ServerResponse): number | undefined {
  const header = res.getHeader('content-length');
  return header === undefined ? undefined : Number(header);
}

/** Nest's own messages, through the same logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, ...rest: unknown[]) {
    if (message instanceof Error) this.logger.error({ err: message, rest }, message.message);
    else if (typeof message === 'object') this.logger.error({ ...(message as object), rest });
    else this.logger.error({ rest }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
