import { Catch, HttpException, Injectable, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ConnectionException, DriverException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Request, Response } from 'express';
import { AccessDeniedError } from '../../modules/access/access-denied.error';
import { AuditLog } from '../../modules/audit/audit-log.service';
import { Db } from '../database/db';
import { AppError, clip, ERROR_CATALOG, MAX_FIELD_ERRORS, type ErrorCode, type Language } from './app-error';
import { preferredLanguage } from './language';
import { requestIdOf } from './request-context';

/** Longest field name or URL a problem repeats back. */
const MAX_TEXT = 200;

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);

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
    if (error.code === 'internal') this.logger.error(exception);
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
        type: `urn:tsunagi:problem:${error.code}`,
        title: catalog[lang],
        status: catalog.status,
        detail: error.extra.detail?.[lang] ?? catalog[lang],
        instance: clip(req.originalUrl, MAX_TEXT),
        code: error.code,
        requestId: requestIdOf(req),
        ...error.extra.meta,
        // Bounded whatever the input: the first few field errors and how many there were.
        ...(errors && {
          errorCount: errors.length,
          errors: errors.slice(0, MAX_FIELD_ERRORS).map((e) => ({ field: clip(e.field, MAX_TEXT), code: e.code, message: e.message[lang], ...(e.keys && { keys: e.keys }) })),
        }),
      });
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

function isConnectionFailure(error: unknown): boolean {
  if (error instanceof ConnectionException) return true;
  const code = (error as { code?: string })?.code ?? (error instanceof DriverException ? error.code : undefined);
  if (code && CONNECTION_ERROR_CODES.has(code)) return true;
  const message = (error as Error)?.message ?? '';
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|terminating connection/i.test(message);
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
