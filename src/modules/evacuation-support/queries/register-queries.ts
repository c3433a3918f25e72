import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { notFound } from '../../../platform/http/app-error';
import { csvFile } from '../../../platform/http/csv';
import { LEGAL_BASIS_LABELS } from '../../audit/domain/legal-basis';
import { PersonSchema, SEX_LABELS } from '../../people/domain/person.entity';
import { assertCan } from '../../access/assert-can';
import type { RequestAuth } from '../../access/request-auth';
import { departmentsResponsibleFor } from '../../directory/domain/principal';
import { AuditedPersonReader } from '../../people/audited-person-reader';
import { PersonHoldings } from '../../people/person-holdings';
import { personValues } from '../../people/person-presenter';
import type { PersonField } from '../../referrals/domain/shared-package';
import {
  DisasterSchema,
  EvacuationPlanSchema,
  RegisterEntrySchema,
  RegisterImportSchema,
  RenewalCampaignSchema,
  ReturnTaskSchema,
  type Disaster,
  type Provision,
  type RegisterEntry,
  type RenewalCampaign,
  type ReturnTask,
} from '../domain/register.entity';
import type { EntriesQuery } from '../domain/register.schemas';
import { Keyset, type PageParams } from '../../../platform/http/api-contract/paging';
import type { EntityManager } from '@mikro-orm/postgresql';
import { readImportReport } from '../commands/import-candidates/import-candidates';
import { RegisterBook } from '../register-book';
import { allowedEntryActions, planDetails } from '../register-entry-view';
import { Rosters } from '../rosters';

export type RegisterRead =
  | { kind: 'entries'; query: EntriesQuery }
  | { kind: 'entry'; id: string }
  | { kind: 'notices-csv' }
  | { kind: 'roster'; provision: Provision['kind']; district?: string; personId?: string; page?: PageParams; csv?: boolean }
  | { kind: 'import'; id: string; from: number }
  | { kind: 'campaign'; id: string }
  | { kind: 'return-tasks'; page: PageParams }
  | { kind: 'figures' }
  | { kind: 'disasters'; page: PageParams }
  | { kind: 'settings' };

/** The register by 地区, then as people entered it. */
export const ENTRY_ORDER = new Keyset<RegisterEntry>('register-entries', { districtCode: 'district_code', createdAt: 'created_at', id: 'id' });
const DISASTER_ORDER = new Keyset<Disaster>('disasters', { declaredAt: 'declared_at', id: 'id' });
const RETURN_TASK_ORDER = new Keyset<ReturnTask>('return-tasks', { createdAt: 'created_at', id: 'id' });
/** The notices CSV reads (and audits) this many entries per transaction while it streams. */
const NOTICE_BATCH = 500;

/** What a CSV cell says where the reader may not see the value, so it is never read as empty. */
const WITHHELD = '（非開示）';
const ENTRY_PERSON_FIELDS: PersonField[] = ['name', 'birthDate', 'address'];

/** The register's reads. Every read of a person is audited on its basis (internal use, or the roster's). */
export class RegisterQuery extends Query<unknown> {
  constructor(
    readonly auth: RequestAuth,
    readonly read: RegisterRead,
  ) {
    super();
  }
}

@QueryHandler(RegisterQuery)
export class RegisterQueryHandler implements IQueryHandler<RegisterQuery> {
  constructor(
    private readonly db: Db,
    private readonly reader: AuditedPersonReader,
    private readonly holdings: PersonHoldings,
    private readonly rosters: Rosters,
    private readonly book: RegisterBook,
  ) {}

  execute({ auth, read }: RegisterQuery) {
    const tenantId = auth.principal.tenantId;
    if (read.kind === 'notices-csv') return this.noticesCsv(auth);
    return this.db.inTenant(tenantId, async (em) => {
      switch (read.kind) {
        case 'roster': {
          const { items: rows, next } = await this.rosters.provide(em, auth, { kind: read.csv ? 'roster_download' : read.provision, districtCode: read.district, personId: read.personId, page: read.page });
          if (read.personId) return rows[0];
          if (!read.csv) return { items: rows, next };
          return csvFile(
            'roster.csv',
            ['受領番号', '根拠', '地区', '氏名', 'フリガナ', '生年月日', '性別', '住所', '電話番号', '避難支援等を必要とする事由', '世帯状況'],
            rows.map((r) => {
              const shown = <T>(field: PersonField, value: T) => (r.withheldFields.includes(field) ? WITHHELD : value);
              return [r.receiptNumber, LEGAL_BASIS_LABELS.label(r.basis, 'ja'), r.districtCode, shown('name', r.name && `${r.name.family} ${r.name.given}`), shown('kana', r.kana && [r.kana.family, r.kana.given].filter(Boolean).join(' ')), shown('birthDate', r.birthDate), shown('sex', r.sex && SEX_LABELS.label(r.sex, 'ja')), shown('address', r.address), shown('phone', r.phone), r.needsHelpReason, r.householdSituation];
            }),
          );
        }
        case 'disasters': {
          const rows = await em.find(DisasterSchema, { $and: [{ closedAt: null }, DISASTER_ORDER.after(DISASTER_ORDER.decode(read.page.cursor))] }, { orderBy: DISASTER_ORDER.orderBy, limit: read.page.limit + 1 });
          return DISASTER_ORDER.page(rows, read.page.limit, disasterView);
        }
        case 'return-tasks': {
          assertCan(auth, 'read', 'ReturnTask', { tenantId, supporterId: auth.principal.id });
          const after = RETURN_TASK_ORDER.after(RETURN_TASK_ORDER.decode(read.page.cursor));
          const rows = await em.find(ReturnTaskSchema, { $and: [{ supporterId: auth.principal.id }, after] }, { orderBy: RETURN_TASK_ORDER.orderBy, limit: read.page.limit + 1 });
          return RETURN_TASK_ORDER.page(rows, read.page.limit, returnTaskView);
        }
      }
      assertCan(auth, 'read', 'RegisterEntry', { tenantId });
      switch (read.kind) {
        case 'settings':
          return this.book.settings(em, tenantId);
        case 'import': {
          const found = await readImportReport(em, read.id, read.from);
          if (!found) throw notFound({ ja: '取込が見つかりません。', en: 'No such import.' });
          return found;
        }
        case 'campaign': {
          const found = await em.findOne(RenewalCampaignSchema, { id: read.id });
          if (!found) throw notFound({ ja: '更新作業が見つかりません。', en: 'No such renewal campaign.' });
          return campaignView(found);
        }
        case 'figures':
          return this.figures(em);
        case 'entry': {
          const [view] = await this.entryViews(em, auth, await em.find(RegisterEntrySchema, { id: read.id }), 'entry');
          if (!view) throw notFound({ ja: '名簿の登録が見つかりません。', en: 'No such register entry.' });
          return view;
        }
        case 'entries': {
          const { districtCode, state, eligible, limit, cursor } = read.query;
          const filters = { ...(districtCode && { districtCode }), ...(state && { state }), ...(eligible !== undefined && { eligible }) };
          const rows = await em.find(RegisterEntrySchema, { $and: [filters, ENTRY_ORDER.after(ENTRY_ORDER.decode(cursor))] }, { orderBy: ENTRY_ORDER.orderBy, limit: limit + 1 });
          const views = new Map((await this.entryViews(em, auth, rows.slice(0, limit), 'entries')).map((v) => [v.id, v]));
          return ENTRY_ORDER.page(rows, limit, (row) => views.get(row.id)!);
        }
      }
    });
  }

  /**
   * The notices to print, whole: streamed a batch at a time, each batch read (and audited) in its own
   * transaction, so a register of any size costs bounded memory. The first batch is read before the
   * answer starts, so a refusal or an outage is still a proper error.
   */
  private async noticesCsv(auth: RequestAuth) {
    assertCan(auth, 'read', 'RegisterEntry', { tenantId: auth.principal.tenantId });
    const batch = (cursor?: string) =>
      this.db.inTenant(auth.principal.tenantId, async (em) => {
        const rows = await em.find(RegisterEntrySchema, { $and: [{ state: 'notice_sent' }, ENTRY_ORDER.after(ENTRY_ORDER.decode(cursor))] }, { orderBy: ENTRY_ORDER.orderBy, limit: NOTICE_BATCH + 1 });
        const views = await this.entryViews(em, auth, rows.slice(0, NOTICE_BATCH), 'notices-csv');
        return { views, next: rows.length > NOTICE_BATCH ? ENTRY_ORDER.encode(rows[NOTICE_BATCH - 1]) : null };
      });
    const first = await batch();
    async function* lines() {
      for (let page: Awaited<ReturnType<typeof batch>> | null = first; page; page = page.next ? await batch(page.next) : null) {
        for (const v of page.views) yield [v.residentNumber, v.name ? `${v.name.family} ${v.name.given}` : WITHHELD, v.withheldFields.includes('address') ? WITHHELD : v.address, v.districtCode, '避難行動要支援者名簿 登録のご案内'];
      }
    }
    return csvFile('notices.csv', ['宛名番号', '氏名', '住所', '地区', '案内'], lines());
  }

  /** Entries as their keepers read them: each person read audited on the register's internal basis. */
  private async entryViews(em: EntityManager, auth: RequestAuth, entries: RegisterEntry[], view: 'entries' | 'entry' | 'notices-csv') {
    const persons = new Map((await em.find(PersonSchema, { id: { $in: entries.map((e) => e.personId) } })).map((p) => [p.id, p]));
    const plans = new Map((await em.find(EvacuationPlanSchema, { entryId: { $in: entries.map((e) => e.id) } })).map((p) => [p.entryId, p]));
    const held = await this.holdings.of(em, departmentsResponsibleFor(auth.principal, 'register'), [...persons.keys()], 'register');
    // Every person of the page read in one go: one audit statement for the page, not one per entry.
    const shown = await this.reader.readMany(
      em,
      auth,
      entries.map((entry) => {
        const person = persons.get(entry.personId)!;
        return {
          person,
          values: personValues(person),
          fields: ENTRY_PERSON_FIELDS.filter((f) => held.get(person.id)!.has(f)),
          entry: { action: 'register.read', subjectType: 'RegisterEntry', subjectId: entry.id, legalBasis: 'DMA_ROSTER_INTERNAL' as const, detail: { view } },
        };
      }),
    );
    return entries.map((entry, i) => {
      const read = shown[i];
      const withheldFields = ENTRY_PERSON_FIELDS.filter((f) => !(f in read));
      const plan = plans.get(entry.id);
      return {
        id: entry.id,
        personId: entry.personId,
        residentNumber: entry.residentNumber ?? null,
        name: (read.name ?? null) as { family: string; given: string } | null,
        birthDate: (read.birthDate ?? null) as string | null,
        address: (read.address ?? null) as string | null,
        contactWithheld: read.contactWithheld,
        withheldFields,
        districtCode: entry.districtCode,
        state: entry.state,
        version: entry.version,
        source: entry.source,
        eligible: entry.eligible,
        eligibility: entry.eligibility,
        needsHelpReason: entry.needsHelpReason ?? null,
        provision: entry.provision ?? null,
        removalReason: entry.removalReason ?? null,
        // The plan's contents only on the entry itself (its editor), not in lists.
        plan: plan ? { id: plan.id, version: plan.version, helperConsent: plan.helperConsent, ...(view === 'entry' && { details: planDetails(plan) }) } : null,
        allowedActions: allowedEntryActions(auth, entry),
      };
    });
  }

  /** The national survey's figures, per 地区 and overall. */
  private async figures(em: EntityManager) {
    const rows = await em.execute<{ district: string | null; listed: string; shared: string; planned: string; pending: string }[]>(
      `select e.district_code as district,
         count(*) filter (where e.state in ('registered', 'renewal_notice_sent'))::text as listed,
         count(*) filter (where e.state in ('registered', 'renewal_notice_sent') and e.provision in ('consent', 'ordinance'))::text as shared,
         count(p.id) filter (where e.state in ('registered', 'renewal_notice_sent'))::text as planned,
         count(*) filter (where e.state in ('notice_sent', 'awaiting_answer', 'renewal_notice_sent'))::text as pending
       from register_entries e left join evacuation_plans p on p.entry_id = e.id
       group by rollup (e.district_code) order by e.district_code nulls last`,
    );
    const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);
    return rows.map((r) => {
      const listed = Number(r.listed);
      return {
        district: r.district ?? 'all',
        listed,
        sharedInNormalTimes: Number(r.shared),
        sharedPercent: percent(Number(r.shared), listed),
        plansMade: Number(r.planned),
        plansPercent: percent(Number(r.planned), listed),
        pendingAnswers: Number(r.pending),
      };
    });
  }
}

const disasterView = (d: Disaster) => ({
  id: d.id,
  kind: d.kind,
  title: d.title,
  districtCodes: d.districtCodes,
  declaredBy: d.declaredBy,
  declaredAt: d.declaredAt,
  closedBy: d.closedBy ?? null,
  closedAt: d.closedAt ?? null,
  version: d.version,
});

const returnTaskView = (t: ReturnTask) => ({ id: t.id, entryId: t.entryId, personId: t.personId, reason: t.reason, state: t.state, createdAt: t.createdAt, doneAt: t.doneAt ?? null });

const campaignView = (c: RenewalCampaign) => ({
  id: c.id,
  year: c.year,
  state: c.state,
  total: c.total,
  processed: c.processed,
  report: c.report,
  startedAt: c.startedAt,
  finishedAt: c.finishedAt ?? null,
});
