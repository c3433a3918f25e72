import { Catch, HttpException, Injectable, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ConnectionException, DriverException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Request, Response } from 'express';
import type { Logger as PinoLogger } from 'pino';
import { AccessDeniedError } from '../../modules/access/access-denied.error';
import { AuditLog } from '../../modules/audit/audit-log.service';
import { Db } from '../database/db';
import { AppError, clip, ERROR_CATALOG, MAX_FIELD_ERRORS, type ErrorCode, type Language } from './app-error';
import { preferredLanguage } from './language';
import { requestIdOf, requestLogFields } from './request-context';

/** Longest field name or URL a problem repeats back. */
const MAX_TEXT = 200;

/** Socket errors, and SQLSTATEs of class 08 (connection exception), 57P0x (server shutting down or starting) and 53300 (too many connections). */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '53300']);
const CONNECTION_SQLSTATE = /^(08...|57P0[1-4])$/;
const CONNECTION_MESSAGE =
  /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|terminating connection|not queryable|Client was closed|the database system is (starting up|shutting down|in recovery mode)|Connection ended unexpectedly/i;

/** RFC 9457 problem+json for every error, in the caller's language (Japanese by default). */
@Catch()
@Injectable()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(
    private readonly db: Db,
    private readonly auditLog: AuditLog,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    return this.render(exception, host.switchToHttp().getRequest<Request>(), host.switchToHttp().getResponse<Response>());
  }

  /** Answers every error, and never fails itself: a request cannot take the process down through here. */
  async render(exception: unknown, req: Request, res: Response): Promise<void> {
    try {
      await this.answer(exception, req, res);
    } catch (failure) {
      this.logger.error({ msg: 'could not render a problem', failure, exception });
      answerPlainly(req, res);
    }
  }

  private async answer(exception: unknown, req: Request, res: Response): Promise<void> {
    const error = this.toAppError(exception);
    if (exception instanceof AccessDeniedError) await this.recordDenial(exception);
    if (error.code === 'internal') this.logUnexpected(exception, req);
    if (res.headersSent) {
      // A streamed answer broke halfway: cut the connection rather than let a partial file look complete.
      res.destroy();
      return;
    }
    const lang: Language = preferredLanguage(req.header('accept-language'));
    const catalog = ERROR_CATALOG[error.code];
    const errors = error.extra.errors;
    res
      .status(catalog.status)
      .type('application/problem+json')
      .setHeader('Content-Language', lang)
      .json({
        // Extension members first: none of them may ever replace a standard member (RFC 9457), e.g. `status`.
        ...error.extra.meta,
        type: `urn:tsunagi:problem:${error.code}`,
        title: catalog[lang],
        status: catalog.status,
        detail: error.extra.detail?.[lang] ?? catalog[lang],
        instance: clip(req.originalUrl, MAX_TEXT),
        code: error.code,
        requestId: requestIdOf(req),
        // Bounded whatever the input: the first few field errors and how many there were.
        ...(errors && {
          errorCount: errors.length,
          errors: errors.slice(0, MAX_FIELD_ERRORS).map((e) => ({ field: clip(e.field, MAX_TEXT), code: e.code, message: e.message[lang], ...(e.keys && { keys: e.keys }) })),
        }),
      });
  }

  /** The cause with its stack, and which request it broke (id, route, tenant, staff): the access line of the same id says the rest. */
  private logUnexpected(exception: unknown, req: Request): void {
    const fields = { ...requestLogFields(req), err: exception };
    const requestLog = (req as Request & { log?: PinoLogger }).log; // the access log's, bound to the request id
    if (requestLog) requestLog.error(fields, 'unexpected error');
    else this.logger.error({ msg: 'unexpected error', requestId: requestIdOf(req), ...fields });
  }

  private toAppError(exception: unknown): AppError {
    if (exception instanceof AppError) return exception;
    if (exception instanceof OptimisticLockError) return new AppError('version_conflict');
    if (exception instanceof UniqueConstraintViolationException) return new AppError('already_exists');
    if (isConnectionFailure(exception)) return new AppError('service_unavailable');
    const bodyParserType = (exception as { type?: string })?.type;
    if (bodyParserType === 'entity.parse.failed') return new AppError('malformed_json');
    if (bodyParserType === 'entity.too.large') return new AppError('payload_too_large');
    if (isClientError(exception)) return new AppError(httpCode(exception.status));
    if (exception instanceof HttpException) return new AppError(httpCode(exception.getStatus()));
    return new AppError('internal');
  }

  private async recordDenial(denial: AccessDeniedError): Promise<void> {
    try {
      await this.db.inTenant(denial.context.tenantId, (em) => this.auditLog.append(em, denial.context, { ...denial.entry, outcome: 'denied' }));
    } catch (error) {
      this.logger.error({ msg: 'could not record a denial in the audit log', error });
    }
  }
}

function httpCode(status: number): ErrorCode {
  const byStatus: Partial<Record<number, ErrorCode>> = {
    400: 'validation_failed',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'route_not_found',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    503: 'service_unavailable',
  };
  return byStatus[status] ?? 'internal';
}

/** The database is unreachable: this error, or one it wraps (`cause`, MikroORM's `previous`, an AggregateError's errors). */
function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  if (error instanceof ConnectionException) return true;
  const code = (error as { code?: unknown }).code ?? (error instanceof DriverException ? error.code : undefined);
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || CONNECTION_SQLSTATE.test(code))) return true;
  if (CONNECTION_MESSAGE.test(String((error as { message?: unknown }).message ?? ''))) return true;
  const { cause, previous, errors } = error as { cause?: unknown; previous?: unknown; errors?: unknown };
  return [cause, previous, ...(Array.isArray(errors) ? errors : [])].some((inner) => isConnectionFailure(inner, depth + 1));
}

/** Errors Express and the body parsers raise for a bad request (bad encoding, aborted upload): status and `expose`. */
function isClientError(error: unknown): error is { status: number } {
  const { status, expose } = (error ?? {}) as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

/** The last resort when rendering itself failed: a fixed 500 problem. */
function answerPlainly(req: Request, res: Response): void {
  try {
    if (res.headersSent) return void res.destroy();
    const { status, ja } = ERROR_CATALOG.internal;
    res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'urn:tsunagi:problem:internal', title: ja, status, code: 'internal', requestId: requestIdOf(req) }));
  } catch {
    res.destroy();
  }
}
