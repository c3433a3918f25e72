import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../../platform/calendar/today';
import { Db } from '../../../../platform/database/db';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { JobRuns } from '../../../../platform/observability/job-runs';
import { assertCan } from '../../../access/assert-can';
import { departmentsResponsibleFor } from '../../../directory/domain/principal';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { CsvFormatError, parseCandidateCsv, type CandidateRow } from '../../domain/candidate-csv';
import { RegisterEntrySchema, RegisterImportSchema, type RegisterImport } from '../../domain/register.entity';
import { RegisterBook } from '../../register-book';
import { PersonHoldings } from '../../../people/person-holdings';

const PROGRESS_EVERY = 200;

const factsOf = ({ careLevel, physicalHandbookGrade, ryoikuGrade, mentalHandbookGrade, intractableDisease, livingAlone }: CandidateRow) => ({
  careLevel,
  physicalHandbookGrade,
  ryoikuGrade,
  mentalHandbookGrade,
  intractableDisease,
  livingAlone,
});

/** Rejected and skipped rows are listed a page at a time, so a file of thousands of bad rows is still a small answer. */
export const REPORT_PAGE_ROWS = 20;

/** The report; `from` pages through the rejected and skipped rows (`GET imports/:id?from=20`). */
export function importReport(found: RegisterImport, from = 0) {
  const page = <T>(rows: T[]) => rows.slice(from, from + REPORT_PAGE_ROWS);
  return {
    id: found.id,
    state: found.state,
    encoding: found.encoding,
    totalRows: found.totalRows,
    validRows: found.rows.length,
    rejectedRows: found.rejected.length,
    rejected: page(found.rejected),
    progress: { done: found.progress, total: found.rows.length },
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
 * The user looked at the report and confirms: the valid rows enter the register as candidates, all in
 * one transaction — never half a file. Progress is written on the side so a client can show it.
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
    private readonly book: RegisterBook,
    private readonly jobRuns: JobRuns,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
  ) {}

  async execute({ auth, importId, decision }: ConfirmImportCommand) {
    assertCan(auth, 'update', 'RegisterEntry', { tenantId: auth.principal.tenantId });
    const tenantId = auth.principal.tenantId;
    const claimed = await this.db.inTenant(tenantId, async (em) => {
      const found = await em.findOne(RegisterImportSchema, { id: importId });
      if (!found) throw notFound({ ja: '取込が見つかりません。', en: 'No such import.' });
      if (found.state !== 'parsed') throw new AppError('transition_not_allowed', { meta: { state: found.state } });
      found.state = decision === 'confirm' ? 'importing' : 'cancelled';
      return found;
    });
    if (decision === 'cancel') return importReport(claimed);
    try {
      return await this.jobRuns.track('register-import', () => this.importRows(auth, tenantId, importId, claimed));
    } catch (error) {
      await this.db.inTenant(tenantId, (em) => em.nativeUpdate(RegisterImportSchema, { id: importId }, { state: 'parsed', progress: 0 }));
      throw error;
    }
  }

  private importRows(auth: RequestAuth, tenantId: string, importId: string, claimed: RegisterImport) {
    return this.db.inTenant(tenantId, async (em) => {
      const rows = claimed.rows as CandidateRow[];
      const known = new Set((await em.find(RegisterEntrySchema, { residentNumber: { $in: rows.map((r) => r.residentNumber) } })).map((e) => e.residentNumber));
      const skipped = rows.filter((r) => known.has(r.residentNumber)).map((r) => ({ line: r.line, residentNumber: r.residentNumber, ja: '既に名簿にあります', en: 'already in the register' }));
      let done = 0;
      const keepers = departmentsResponsibleFor(auth.principal, 'register');
      for (const row of rows.filter((r) => !known.has(r.residentNumber))) {
        // The 宛名番号 already names a person: that record is listed, never a second one — if the keepers hold it.
        const onFile = await this.holdings.byResidentNumber(em, row.residentNumber);
        if (onFile && !(await this.holdings.anyHeld(em, keepers, onFile.id, 'register'))) {
          skipped.push({ line: row.line, residentNumber: row.residentNumber, ja: '他課が保有する人です。保有する課へ情報照会してください', en: 'held by another department: ask it for the data' });
          await this.audit.append(em, auth.audit, { action: 'person.attach', subjectType: 'Person', subjectId: onFile.id, personId: onFile.id, outcome: 'denied', detail: { field: `line ${row.line}`, departmentIds: keepers } });
          continue;
        }
        await this.book.add(em, auth.audit, {
          person: onFile ?? { familyName: row.familyName, givenName: row.givenName, familyNameKana: row.familyNameKana, givenNameKana: row.givenNameKana, birthDate: row.birthDate, sex: row.sex, address: row.address, phone: row.phone, residentNumber: row.residentNumber },
          collectedByDepartmentId: keepers[0] ?? null,
          residentNumber: row.residentNumber,
          districtCode: row.districtCode,
          source: 'import',
          facts: { ...factsOf(row), birthDate: row.birthDate },
          householdSituation: row.householdSituation,
        });
        if (++done % PROGRESS_EVERY === 0) await this.progress(tenantId, importId, done);
      }
      const found = await em.findOneOrFail(RegisterImportSchema, { id: importId });
      Object.assign(found, { state: 'imported', progress: rows.length, imported: done, skipped: [...skipped].sort((a, b) => a.line - b.line) });
      await em.flush();
      return importReport(found);
    });
  }

  private progress(tenantId: string, importId: string, done: number) {
    return this.db.inTenant(tenantId, (em) => em.nativeUpdate(RegisterImportSchema, { id: importId }, { progress: done }));
  }
}

export const IMPORT_COMMAND_HANDLERS = [UploadCandidatesHandler, ConfirmImportHandler];
