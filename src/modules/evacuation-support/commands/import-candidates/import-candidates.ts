import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../../platform/calendar/today';
import { Db } from '../../../../platform/database/db';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { assertCan } from '../../../access/assert-can';
import { departmentsResponsibleFor } from '../../../directory/domain/principal';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { CsvFormatError, type CsvEncoding } from '../../../../platform/csv/csv';
import { boundRows } from '../../../../platform/database/bound-query';
import { openCandidateCsv, type RejectedRow } from '../../domain/candidate-csv';
import { storeUpload } from './store-upload';
import type { ImportJob, RegisterImport } from '../../domain/register.entity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RegisterBook } from '../../register-book';
import { ImportRunner } from '../../import-runner';

/** Rejected and skipped rows are listed a page at a time, so a file of thousands of bad rows is still a small answer. */
export const REPORT_PAGE_ROWS = 20;

/** What the report tells of an import, with one page of its rejected and skipped rows. */
interface ImportFigures extends Pick<RegisterImport, 'id' | 'state' | 'encoding' | 'totalRows' | 'progress' | 'imported' | 'failure' | 'version'> {
  validRows: number;
  rejectedRows: number;
  rejected: RejectedRow[];
  skippedRows: number;
  skipped: unknown[];
}

/** The report; `from` pages through the rejected and skipped rows (`GET imports/:id?from=20`). */
function importReport(found: ImportFigures, from = 0) {
  return {
    id: found.id,
    /** Where a client follows a confirmed import's progress and reads its result. */
    statusUrl: `/api/v1/evacuation-support/imports/${found.id}`,
    state: found.state,
    encoding: found.encoding,
    totalRows: found.totalRows,
    validRows: found.validRows,
    rejectedRows: found.rejectedRows,
    rejected: found.rejected,
    progress: { done: found.progress, total: found.validRows },
    failure: found.failure ?? null,
    imported: found.imported,
    skippedRows: found.skippedRows,
    skipped: found.skipped,
    page: { from, rows: REPORT_PAGE_ROWS },
    version: found.version,
  };
}

const pageSql = (column: string) =>
  `coalesce((select jsonb_agg(x order by n) from jsonb_array_elements(${column}) with ordinality as t(x, n) where n > $1 and n <= $1 + ${REPORT_PAGE_ROWS}), '[]')`;

/**
 * The same report read in SQL: a status poll on a 10⁵-row import must not load and parse all its rows
 * (null when there is no such import).
 */
export async function readImportReport(em: EntityManager, id: string, from = 0): Promise<ReturnType<typeof importReport> | null> {
  const [row] = await boundRows<Record<string, never>>(
    em,
    `select id, state, encoding, total_rows, jsonb_array_length(rows) as valid_rows, jsonb_array_length(rejected) as rejected_rows,
       ${pageSql('rejected')} as rejected, progress, failure, imported, jsonb_array_length(skipped) as skipped_rows, ${pageSql('skipped')} as skipped, version
     from register_imports where id = $2`,
    [from, id],
  );
  if (!row) return null;
  return importReport(
    { id: row.id, state: row.state, encoding: row.encoding, totalRows: row.total_rows, validRows: row.valid_rows, rejectedRows: row.rejected_rows, rejected: row.rejected, progress: row.progress, imported: row.imported, failure: row.failure, skippedRows: row.skipped_rows, skipped: row.skipped, version: row.version },
    from,
  );
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
    const tenantId = auth.principal.tenantId;
    return this.db.inTenant(tenantId, async (em) => {
      const options = { districtCodes: await this.book.districtCodes(em), asOf: todayInJapan() };
      const upload = { id: randomUUID(), tenantId, createdBy: auth.principal.id, encoding: 'utf-8' as CsvEncoding };
      let stored;
      try {
        const file = openCandidateCsv(bytes, options);
        upload.encoding = file.encoding;
        // Stored as the rows are read, a batch at a time: the entity would copy and compare 10⁵ rows to insert them.
        stored = await storeUpload(em, upload, file.rows, REPORT_PAGE_ROWS);
      } catch (error) {
        if (!(error instanceof CsvFormatError)) throw error;
        throw new AppError('validation_failed', {
          detail: { ja: error.problems.map((p) => p.ja).join(' '), en: error.problems.map((p) => p.en).join(' ') },
          errors: error.problems.map((p) => ({ field: 'body', code: 'csv_format', message: p })),
        });
      }
      const totalRows = stored.validRows + stored.rejectedRows;
      await this.audit.append(em, auth.audit, { action: 'register.upload', subjectType: 'RegisterImport', subjectId: upload.id, outcome: 'allowed', detail: { totalRows, valid: stored.validRows, rejected: stored.rejectedRows } });
      return importReport({
        id: upload.id,
        state: 'parsed',
        encoding: upload.encoding,
        totalRows,
        validRows: stored.validRows,
        rejectedRows: stored.rejectedRows,
        rejected: stored.firstRejected,
        progress: 0,
        imported: 0,
        failure: null,
        skippedRows: 0,
        skipped: [],
        version: 1,
      });
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
      const [found] = await em.execute<{ state: RegisterImport['state'] }[]>('select state from register_imports where id = ? for update', [importId]);
      if (!found) throw notFound({ ja: '取込が見つかりません。', en: 'No such import.' });
      const started = decision === 'confirm' && ['parsed', 'failed'].includes(found.state);
      if (!started && !(decision === 'confirm' && ['importing', 'imported'].includes(found.state)) && !(decision === 'cancel' && found.state === 'parsed')) {
        throw new AppError('transition_not_allowed', { meta: { state: found.state } });
      }
      if (decision === 'cancel') await em.execute(`update register_imports set state = 'cancelled', version = version + 1, updated_at = now() where id = ?`, [importId], 'run');
      if (started) {
        const job: ImportJob = { audit: auth.audit, keepers: departmentsResponsibleFor(auth.principal, 'register') };
        await em.execute(`update register_imports set state = 'importing', progress = 0, failure = null, job = ?, version = version + 1, updated_at = now() where id = ?`, [JSON.stringify(job), importId], 'run');
      }
      return { report: (await readImportReport(em, importId))!, started };
    });
    // Not before the claim is committed (with the request's transaction, if any): the job reads it in one of its own.
    if (started) this.db.afterCommit(() => this.runner.start(tenantId, importId));
    return report;
  }
}

export const IMPORT_COMMAND_HANDLERS = [UploadCandidatesHandler, ConfirmImportHandler];
