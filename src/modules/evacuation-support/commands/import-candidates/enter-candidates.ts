import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../../../platform/calendar/today';
import { boundQuery, boundRows } from '../../../../platform/database/bound-query';
import type { AuditEntry } from '../../../audit/domain/audit-entry';
import { AuditLog } from '../../../audit/audit-log.service';
import { PersonHoldings } from '../../../people/person-holdings';
import type { CandidateRow } from '../../domain/candidate-csv';
import { evaluateEligibility } from '../../domain/eligibility';
import type { ImportJob } from '../../domain/register.entity';
import { registerMachine } from '../../domain/register.machine';
import { RegisterBook } from '../../register-book';

/** Rows per set of statements: big enough to amortise round trips, small enough to report progress. */
export const ENTER_BATCH = 5_000;

export interface SkippedRow {
  line: number;
  residentNumber: string;
  ja: string;
  en: string;
}

const ALREADY_LISTED = { ja: '既に名簿にあります', en: 'already in the register' };
const HELD_ELSEWHERE = { ja: '他課が保有する人です。保有する課へ情報照会してください', en: 'held by another department: ask it for the data' };

/**
 * The valid rows of a confirmed import enter the register set-wise, in the caller's one transaction:
 * per batch of the file a few lookups, one statement for the new people, the entries and their events,
 * and one for their audit rows. The same rules as adding one entry (RegisterBook.add): a
 * 宛名番号 already listed is skipped; one already on file is listed as that person if the keepers hold
 * them, else skipped with a refusal in the audit log.
 */
@Injectable()
export class EnterCandidates {
  constructor(
    private readonly book: RegisterBook,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Enters the import's valid rows, read from the import a batch at a time through a cursor (the
   * stored file is unpacked once, not once per batch) so memory stays bounded by the batch, not the
   * file; `progress` hears the rows done (skipped ones included).
   */
  async run(em: EntityManager, job: ImportJob, importId: string, progress: (done: number) => Promise<void>, batchSize = ENTER_BATCH): Promise<{ imported: number; skipped: SkippedRow[] }> {
    const { rules } = await this.book.settings(em, job.audit.tenantId);
    const today = todayInJapan();
    const skipped: SkippedRow[] = [];
    let imported = 0;
    let done = 0;
    await boundQuery(em, `declare register_import_rows no scroll cursor for select x as row from register_imports i, jsonb_array_elements(i.rows) as x where i.id = $1`, [importId]);
    for (;;) {
      const rows = (await boundRows<{ row: CandidateRow }>(em, `fetch ${batchSize} from register_import_rows`)).map((r) => r.row);
      if (!rows.length) break;
      const entering = await this.sortOut(em, job, rows, skipped);
      await this.enterBatch(
        em,
        job,
        entering.map(({ row, personId }) => {
          const facts = { careLevel: row.careLevel, physicalHandbookGrade: row.physicalHandbookGrade, ryoikuGrade: row.ryoikuGrade, mentalHandbookGrade: row.mentalHandbookGrade, intractableDisease: row.intractableDisease, livingAlone: row.livingAlone, birthDate: row.birthDate };
          const verdict = evaluateEligibility(rules, facts, today);
          return { ...row, personId, facts, eligible: verdict.eligible, eligibility: verdict.matched, needsHelpReason: verdict.matched.map((m) => m.because.ja).join('、') || null };
        }),
      );
      imported += entering.length;
      done += rows.length;
      await progress(done);
    }
    await boundQuery(em, 'close register_import_rows');
    return { imported, skipped: skipped.sort((a, b) => a.line - b.line) };
  }

  /** A batch's rows already listed or held elsewhere go to `skipped` (the latter refused in the audit log); the rest enter. */
  private async sortOut(em: EntityManager, { audit: context, keepers }: ImportJob, rows: CandidateRow[], skipped: SkippedRow[]) {
    const numbers = rows.map((r) => r.residentNumber);
    const listed = new Set((await boundRows<{ n: string }>(em, `select resident_number n from register_entries where resident_number = any($1::text[])`, [numbers])).map((r) => r.n));
    // A merged duplicate keeps its 宛名番号, which then names the record it was merged into (名寄せ).
    const onFile = new Map(
      (
        await boundRows<{ id: string; n: string }>(
          em,
          `with recursive chain (n, id, next) as (
             select resident_number, id, merged_into_id from persons where resident_number = any($1::text[])
             union all
             select c.n, p.id, p.merged_into_id from chain c join persons p on p.id = c.next
           ) select id, n from chain where next is null`,
          [numbers],
        )
      ).map((r) => [r.n, r.id]),
    );
    const held = await this.holdings.of(em, keepers, [...onFile.values()], 'register');
    const refusals: AuditEntry[] = [];
    const entering: { row: CandidateRow; personId: string | null }[] = [];
    for (const row of rows) {
      const personId = onFile.get(row.residentNumber) ?? null;
      if (listed.has(row.residentNumber)) skipped.push({ line: row.line, residentNumber: row.residentNumber, ...ALREADY_LISTED });
      else if (personId && !held.get(personId)?.size) {
        skipped.push({ line: row.line, residentNumber: row.residentNumber, ...HELD_ELSEWHERE });
        refusals.push({ action: 'person.attach', subjectType: 'Person', subjectId: personId, personId, outcome: 'denied', detail: { field: `line ${row.line}`, departmentIds: keepers } });
      } else entering.push({ row, personId });
    }
    await this.audit.appendMany(em, context, refusals);
    return entering;
  }

  /** One batch: new people, their entries and one RegisterEntryAdded event each in one statement, then an audit row per entry. */
  private async enterBatch(em: EntityManager, { audit: context, keepers }: ImportJob, batch: object[]): Promise<void> {
    const { tenantId, actor } = context;
    // Entries start at version 1 (the column default), which their first event carries.
    const entries = await boundRows<{ id: string; person_id: string }>(
      em,
      `with input as (
         select r.*, coalesce(r."personId", gen_random_uuid()) as person_id, gen_random_uuid() as entry_id
           from jsonb_to_recordset($1::jsonb) as r(
             "personId" uuid, "residentNumber" text, "familyName" text, "givenName" text, "familyNameKana" text, "givenNameKana" text,
             "birthDate" date, sex text, address text, phone text, "districtCode" text, "householdSituation" text,
             facts jsonb, eligible boolean, eligibility jsonb, "needsHelpReason" text, n bigint)
       ),
       people as (
         insert into persons (id, tenant_id, collected_by_department_id, resident_number, family_name, given_name, family_name_kana, given_name_kana, birth_date, sex, address, phone, sensitive)
         select person_id, $2, $3, "residentNumber", "familyName", "givenName", "familyNameKana", "givenNameKana", "birthDate", sex, address, phone, '{}'
           from input where "personId" is null order by n
       ),
       entries as (
         insert into register_entries (id, tenant_id, person_id, resident_number, district_code, state, machine, source, eligible, eligibility, needs_help_reason, household_situation, facts)
         select entry_id, $2, person_id, "residentNumber", "districtCode", $4, $5, 'import', eligible, eligibility, "needsHelpReason", "householdSituation", facts
           from input order by n
       ),
       events as (
         insert into domain_events (tenant_id, aggregate_type, aggregate_id, aggregate_version, case_id, type, payload, actor_type, actor_id, actor_department_id)
         select $2, 'RegisterEntry', entry_id, 1, null, 'RegisterEntryAdded', jsonb_build_object('source', 'import', 'eligible', eligible, 'districtCode', "districtCode"), $6, $7, $8
           from input order by n
       )
       select entry_id as id, person_id from input order by n`,
      [JSON.stringify(batch.map((row, n) => ({ ...row, n }))), tenantId, keepers[0] ?? null, registerMachine.config.initial as string, registerMachine.id, actor.type, actor.id, actor.departmentId],
    );
    await this.audit.appendMany(
      em,
      context,
      entries.map((e) => ({ action: 'register.add', subjectType: 'RegisterEntry', subjectId: e.id, personId: e.person_id, legalBasis: 'DMA_ROSTER_INTERNAL', outcome: 'allowed', detail: { source: 'import' } })),
    );
  }
}
