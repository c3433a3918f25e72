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
import { DisasterSchema, EvacuationPlanSchema, RegisterEntrySchema, RegisterImportSchema, RenewalCampaignSchema, ReturnTaskSchema, type Provision } from '../domain/register.entity';
import { importReport } from '../commands/import-candidates/import-candidates';
import { RegisterBook } from '../register-book';
import { Rosters } from '../rosters';

export type RegisterRead =
  | { kind: 'entries'; state?: string; district?: string }
  | { kind: 'entry'; id: string }
  | { kind: 'notices-csv' }
  | { kind: 'roster'; provision: Provision['kind']; district?: string; personId?: string; csv?: boolean }
  | { kind: 'import'; id: string; from: number }
  | { kind: 'campaign'; id: string }
  | { kind: 'return-tasks' }
  | { kind: 'figures' }
  | { kind: 'disasters' }
  | { kind: 'settings' };

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
    return this.db.inTenant(tenantId, async (em) => {
      switch (read.kind) {
        case 'roster': {
          const rows = await this.rosters.provide(em, auth, { kind: read.csv ? 'roster_download' : read.provision, districtCode: read.district, personId: read.personId });
          if (!read.csv) return read.personId ? rows[0] : rows;
          return csvFile(
            ['受領番号', '根拠', '地区', '氏名', 'フリガナ', '生年月日', '性別', '住所', '電話番号', '避難支援等を必要とする事由', '世帯状況'],
            rows.map((r) => {
              const shown = <T>(field: PersonField, value: T) => (r.withheldFields.includes(field) ? WITHHELD : value);
              return [r.receiptNumber, LEGAL_BASIS_LABELS.label(r.basis, 'ja'), r.districtCode, shown('name', r.name && `${r.name.family} ${r.name.given}`), shown('kana', r.kana && [r.kana.family, r.kana.given].filter(Boolean).join(' ')), shown('birthDate', r.birthDate), shown('sex', r.sex && SEX_LABELS.label(r.sex, 'ja')), shown('address', r.address), shown('phone', r.phone), r.needsHelpReason, r.householdSituation];
            }),
          );
        }
        case 'disasters':
          return em.find(DisasterSchema, { closedAt: null }, { orderBy: { declaredAt: 'desc' } });
        case 'return-tasks':
          assertCan(auth, 'read', 'ReturnTask', { tenantId, supporterId: auth.principal.id });
          return em.find(ReturnTaskSchema, { supporterId: auth.principal.id }, { orderBy: { createdAt: 'asc' } });
      }
      assertCan(auth, 'read', 'RegisterEntry', { tenantId });
      switch (read.kind) {
        case 'settings':
          return this.book.settings(em, tenantId);
        case 'import': {
          const found = await em.findOne(RegisterImportSchema, { id: read.id });
          if (!found) throw notFound({ ja: '取込が見つかりません。', en: 'No such import.' });
          return importReport(found, read.from);
        }
        case 'campaign': {
          const found = await em.findOne(RenewalCampaignSchema, { id: read.id });
          if (!found) throw notFound({ ja: '更新作業が見つかりません。', en: 'No such renewal campaign.' });
          return found;
        }
        case 'figures':
          return this.figures(em);
        case 'entries':
        case 'entry':
        case 'notices-csv':
          return this.entries(em, auth, read);
      }
    });
  }

  private async entries(em: Parameters<RegisterBook['settings']>[0], auth: RequestAuth, read: Extract<RegisterRead, { kind: 'entries' | 'entry' | 'notices-csv' }>) {
    const where =
      read.kind === 'entry' ? { id: read.id } : read.kind === 'notices-csv' ? { state: 'notice_sent' } : { ...(read.state ? { state: read.state } : {}), ...(read.district ? { districtCode: read.district } : {}) };
    const entries = await em.find(RegisterEntrySchema, where, { orderBy: { districtCode: 'asc', createdAt: 'asc' }, limit: 5000 });
    if (read.kind === 'entry' && entries.length === 0) throw notFound({ ja: '名簿の登録が見つかりません。', en: 'No such register entry.' });
    const persons = new Map((await em.find(PersonSchema, { id: { $in: entries.map((e) => e.personId) } })).map((p) => [p.id, p]));
    const plans = new Map((await em.find(EvacuationPlanSchema, { entryId: { $in: entries.map((e) => e.id) } })).map((p) => [p.entryId, p]));
    const held = await this.holdings.of(em, departmentsResponsibleFor(auth.principal, 'register'), [...persons.keys()], 'register');
    const views = [];
    for (const entry of entries) {
      const person = persons.get(entry.personId)!;
      const fields = ENTRY_PERSON_FIELDS.filter((f) => held.get(person.id)!.has(f));
      const shown = await this.reader.read(em, auth, person, personValues(person), fields, {
        action: 'register.read',
        subjectType: 'RegisterEntry',
        subjectId: entry.id,
        legalBasis: 'DMA_ROSTER_INTERNAL',
        detail: { view: read.kind },
      });
      const withheldFields = ENTRY_PERSON_FIELDS.filter((f) => !(f in shown));
      views.push({
        id: entry.id,
        personId: entry.personId,
        residentNumber: entry.residentNumber ?? null,
        name: (shown.name ?? null) as { family: string; given: string } | null,
        birthDate: (shown.birthDate ?? null) as string | null,
        address: (shown.address ?? null) as string | null,
        contactWithheld: shown.contactWithheld,
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
        plan: plans.has(entry.id) ? { id: plans.get(entry.id)!.id, version: plans.get(entry.id)!.version, helperConsent: plans.get(entry.id)!.helperConsent } : null,
      });
    }
    if (read.kind === 'entry') return views[0];
    if (read.kind === 'entries') return views;
    return csvFile(['宛名番号', '氏名', '住所', '地区', '案内'], views.map((v) => [v.residentNumber, v.name ? `${v.name.family} ${v.name.given}` : WITHHELD, v.withheldFields.includes('address') ? WITHHELD : v.address, v.districtCode, '避難行動要支援者名簿 登録のご案内']));
  }

  /** The national survey's figures, per 地区 and overall. */
  private async figures(em: Parameters<RegisterBook['settings']>[0]) {
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
