import { Catch, HttpException, Injectable, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ConnectionException, DriverException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Request, Response } from 'express';
import { AccessDeniedError } from '../../modules/access/access-denied.error';
import { AuditLog } from '../../modules/audit/audit-log.service';
import { Db } from '../database/db';
import { AppError, ERROR_CATALOG, type ErrorCode, type Language } from './app-error';
import { preferredLanguage } from './language';
import { requestIdOf } from './request-context';

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

  async render(exception: unknown, req: Request, res: Response): Promise<void> {
    const error = this.toAppError(exception);
    if (exception instanceof AccessDeniedError) await this.recordDenial(exception);
    if (error.code === 'internal') this.logger.error(exception);
    const lang: Language = preferredLanguage(req.header('accept-language'));
    const catalog = ERROR_CATALOG[error.code];
    res
      .status(catalog.status)
      .type('application/problem+json')
      .setHeader('Content-Language', lang)
      .json({
        type: `urn:tsunagi:problem:${error.code}`,
        title: catalog[lang],
        status: catalog.status,
        detail: error.extra.detail?.[lang] ?? catalog[lang],
        instance: req.originalUrl,
        code: error.code,
        requestId: requestIdOf(req),
        ...error.extra.meta,
        ...(error.extra.errors && {
          errors: error.extra.errors.map((e) => ({ field: e.field, code: e.code, message: e.message[lang] })),
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
