import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../../platform/calendar/today';
import { Db } from '../../../../platform/database/db';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { assertCan } from '../../../access/assert-can';
import { departmentsResponsibleFor } from '../../../directory/domain/principal';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { CsvFormatError, parseCandidateCsv } from '../../domain/candidate-csv';
import { RegisterImportSchema, type RegisterImport } from '../../domain/register.entity';
import { RegisterBook } from '../../register-book';
import { ImportRunner } from '../../import-runner';

/** Rejected and skipped rows are listed a page at a time, so a file of thousands of bad rows is still a small answer. */
export const REPORT_PAGE_ROWS = 20;

/** The report; `from` pages through the rejected and skipped rows (`GET imports/:id?from=20`). */
export function importReport(found: RegisterImport, from = 0) {
  const page = <T>(rows: T[]) => rows.slice(from, from + REPORT_PAGE_ROWS);
  return {
    id: found.id,
    /** Where a client follows a confirmed import's progress and reads its result. */
    statusUrl: `/api/v1/evacuation-support/imports/${found.id}`,
    state: found.state,
    encoding: found.encoding,
    totalRows: found.totalRows,
    validRows: found.rows.length,
    rejectedRows: found.rejected.length,
    rejected: page(found.rejected),
    progress: { done: found.progress, total: found.rows.length },
    failure: found.failure ?? null,
    imported: found.imported,
    skippedRows: found.skipped.length,
    skipped: page(found.skipped),
    page: { from, rows: REPORT_PAGE_ROWS },
    version: found.version,
  };
}

/** Reads a candidate CSV (Shift_JIS or UTF-8) and reports row by row; nothing enters the register yet. */
export class UploadCandidatesCommand extends Command<ReturnType<typeof importReport>> {
  constructor(
    readonly auth: RequestAuth,
    readonly bytes: Buffer,
  ) {
    super();
  }
}

@CommandHandler(UploadCandidatesCommand)
export class UploadCandidatesHandler implements ICommandHandler<UploadCandidatesCommand> {
  constructor(
    private readonly db: Db,
    private readonly book: RegisterBook,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, bytes }: UploadCandidatesCommand) {
    assertCan(auth, 'update', 'RegisterEntry', { tenantId: auth.principal.tenantId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      let parsed;
      try {
        parsed = parseCandidateCsv(bytes, { districtCodes: await this.book.districtCodes(em), asOf: todayInJapan() });
      } catch (error) {
        if (!(error instanceof CsvFormatError)) throw error;
        throw new AppError('validation_failed', {
          detail: { ja: error.problems.map((p) => p.ja).join(' '), en: error.problems.map((p) => p.en).join(' ') },
          errors: error.problems.map((p) => ({ field: 'body', code: 'csv_format', message: p })),
        });
      }
      const upload = em.create(RegisterImportSchema, {
        tenantId: auth.principal.tenantId,
        encoding: parsed.encoding,
        totalRows: parsed.totalRows,
        rows: parsed.rows,
        rejected: parsed.rejected,
        state: 'parsed',
        skipped: [],
        createdBy: auth.principal.id,
      });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'register.upload', subjectType: 'RegisterImport', subjectId: upload.id, outcome: 'allowed', detail: { totalRows: parsed.totalRows, valid: parsed.rows.length, rejected: parsed.rejected.length } });
      return importReport(upload);
    });
  }
}

/**
 * The user looked at the report and confirms: the import becomes a background job (ImportRunner) in
 * which the valid rows enter the register, all in one transaction — never half a file; the client
 * follows its progress on `GET imports/:id`. Confirming again while it runs or once it is done changes
 * nothing; a failed import may be confirmed again.
 */
export class ConfirmImportCommand extends Command<ReturnType<typeof importReport>> {
  constructor(
    readonly auth: RequestAuth,
    readonly importId: string,
    readonly decision: 'confirm' | 'cancel',
  ) {
    super();
  }
}

@CommandHandler(ConfirmImportCommand)
export class ConfirmImportHandler implements ICommandHandler<ConfirmImportCommand> {
  constructor(
    private readonly db: Db,
    private readonly runner: ImportRunner,
  ) {}

  async execute({ auth, importId, decision }: ConfirmImportCommand) {
    assertCan(auth, 'update', 'RegisterEntry', { tenantId: auth.principal.tenantId });
    const tenantId = auth.principal.tenantId;
    const { report, started } = await this.db.inTenant(tenantId, async (em) => {
      const found = await em.findOne(RegisterImportSchema, { id: importId });
      if (!found) throw notFound({ ja: '取込が見つかりません。', en: 'No such import.' });
      if (decision === 'confirm' && ['importing', 'imported'].includes(found.state)) return { report: importReport(found), started: false };
      if (!['parsed', 'failed'].includes(found.state) || (decision === 'cancel' && found.state !== 'parsed')) {
        throw new AppError('transition_not_allowed', { meta: { state: found.state } });
      }
      if (decision === 'cancel') found.state = 'cancelled';
      else Object.assign(found, { state: 'importing', progress: 0, failure: null, job: { audit: auth.audit, keepers: departmentsResponsibleFor(auth.principal, 'register') } });
      await em.flush();
      return { report: importReport(found), started: decision === 'confirm' };
    });
    // Not before the claim is committed (with the request's transaction, if any): the job reads it in one of its own.
    if (started) this.db.afterCommit(() => this.runner.start(tenantId, importId));
    return report;
  }
}

export const IMPORT_COMMAND_HANDLERS = [UploadCandidatesHandler, ConfirmImportHandler];
