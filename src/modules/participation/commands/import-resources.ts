import { subject } from '@casl/ability';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { EventLog } from '../../../platform/events/event-log';
import { AppError } from '../../../platform/http/app-error';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { DepartmentSchema, DistrictSchema } from '../../directory/domain/department.entity';
import { CsvFormatError } from '../../../platform/csv/csv';
import { parseResourceCsv, type ResourceCsvRejection } from '../domain/resource-csv';
import { ParticipationResourceSchema } from '../domain/resource.entity';

export interface ResourceImportReport {
  encoding: string;
  dryRun: boolean;
  totalRows: number;
  created: number;
  rejected: ResourceCsvRejection[];
}

export class ImportResourcesCommand extends Command<ResourceImportReport> {
  constructor(
    readonly auth: RequestAuth,
    readonly bytes: Buffer,
    readonly dryRun: boolean,
  ) {
    super();
  }
}

/**
 * Loads an existing list of places into the directory, row by row: every good row becomes an entry
 * (in one transaction), every other is reported with its line and what is wrong. `dryRun` reports only.
 */
@CommandHandler(ImportResourcesCommand)
export class ImportResourcesHandler implements ICommandHandler<ImportResourcesCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
  ) {}

  execute({ auth, bytes, dryRun }: ImportResourcesCommand) {
    const tenantId = auth.principal.tenantId;
    return this.db.inTenant(tenantId, async (em) => {
      const departments = await em.find(DepartmentSchema, {});
      const districts = new Set((await em.find(DistrictSchema, {})).map((d) => d.code));
      const departmentIdOf = (value: string) => departments.find((d) => d.code === value || d.name === value)?.id;
      let parsed: ReturnType<typeof parseResourceCsv>;
      try {
        parsed = parseResourceCsv(bytes, departmentIdOf);
      } catch (error) {
        if (!(error instanceof CsvFormatError)) throw error;
        throw new AppError('validation_failed', {
          detail: { ja: error.problems.map((p) => p.ja).join(' '), en: error.problems.map((p) => p.en).join(' ') },
          errors: error.problems.map((p) => ({ field: 'body', code: 'csv_format', message: p })),
        });
      }
      const rejected = [...parsed.rejected];
      const accepted = parsed.rows.filter(({ line, input }) => {
        const problems = [];
        if (!districts.has(input.districtCode)) problems.push({ ja: `地区: 「${input.districtCode}」という地区はありません`, en: `地区: no 地区 "${input.districtCode}"` });
        if (!auth.ability.can('create', subject('ParticipationResource', { tenantId, ownerDepartmentId: input.ownerDepartmentId }))) {
          problems.push({ ja: '担当課: この課の社会資源は登録できません', en: '担当課: you cannot keep entries of this department' });
        }
        if (problems.length) rejected.push({ line, name: input.name, problems });
        return !problems.length;
      });
      rejected.sort((a, b) => a.line - b.line);
      if (!dryRun && accepted.length) {
        const today = todayInJapan();
        const created = accepted.map(({ input }) =>
          em.create(ParticipationResourceSchema, { tenantId, ...input, days: input.days ?? [], languages: input.languages ?? [], tags: [...new Set(input.tags ?? [])], state: 'open', asOf: input.asOf ?? today, createdBy: auth.principal.id }),
        );
        await em.flush();
        for (const r of created) {
          this.events.append(em, auth.audit, { aggregateType: 'ParticipationResource', aggregateId: r.id, aggregateVersion: r.version, caseId: null, type: 'ParticipationResourceAdded', payload: { name: r.name, kind: r.kind, districtCode: r.districtCode, imported: true } });
        }
        await em.flush();
      }
      const report = { encoding: parsed.encoding, dryRun, totalRows: parsed.rows.length + parsed.rejected.length, created: dryRun ? 0 : accepted.length, rejected };
      await this.audit.append(em, auth.audit, { action: 'participation.resource-import', subjectType: 'ParticipationResource', subjectId: null, outcome: 'allowed', detail: { dryRun, totalRows: report.totalRows, created: report.created, rejected: rejected.length } });
      return report;
    });
  }
}
