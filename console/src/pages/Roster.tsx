import { useQuery } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import type { MessageKey } from '../messages';
import { Status, useMe } from './Layout';

type Row = components['schemas']['RosterRow'];
type Field = Row['withheldFields'][number];
/** People per printed A4 page: each page carries the provision's date, basis and receipt again. */
const PER_SHEET = 6;

/** Every page of the roster: the whole 地区 is one printout (each page fetched is its own recorded provision). */
async function wholeRoster(): Promise<{ rows: Row[]; at: Date }> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const page = await data(api.GET('/api/v1/evacuation-support/roster', { params: { query: { limit: 100, ...(cursor && { cursor }) } } }));
    rows.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return { rows, at: new Date() };
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** 避難行動要支援者名簿 for 民生委員 / 自主防災組織: their 地区, as printable A4 pages. */
export function Roster() {
  const { t } = useT();
  const label = useLabels();
  const me = useMe();
  const roster = useQuery({ queryKey: ['roster'], queryFn: wholeRoster, staleTime: Infinity });
  const organization = me.data?.kind === 'supporter' ? `${label('supporterOrganization', me.data.organizationType)} ${me.data.displayName}` : '';
  const districts = me.data?.kind === 'supporter' ? me.data.districtCodes.map((code) => t('roster.district', { code })).join('、') : '';
  const basis = (code: Row['basis']) => `${label('legalBasis', code)}（${t(`roster.article.${code}` as MessageKey)}）`;
  const value = (row: Row, field: Field, text: string | null) =>
    row.withheldFields.includes(field) || (row.contactWithheld && (field === 'address' || field === 'phone')) ? <span className="withheld">{t('case.withheld')}</span> : (text ?? <span className="not-held">{t('case.notHeld')}</span>);
  const rows = roster.data?.rows ?? [];
  // The provision's date is a Japan date, wherever the browser's clock is set.
  const printedOn = roster.data?.at.toLocaleDateString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' }) ?? '';
  return (
    <section aria-labelledby="roster-title" className="roster">
      <div className="no-print">
        <h1 id="roster-title">{t('roster.title')}</h1>
        <p className="notice">{t('roster.secret')}</p>
        <button type="button" onClick={() => window.print()} disabled={!roster.isSuccess}>
          {t('roster.print')}
        </button>
      </div>
      <Status loading={roster.isPending} error={roster.error} />
      {roster.isSuccess && rows.length === 0 && <p>{t('roster.empty')}</p>}
      {chunks(rows, PER_SHEET).map((sheet, index, sheets) => (
        <article key={sheet[0].personId} className="sheet" aria-label={t('roster.sheet', { n: index + 1, of: sheets.length })}>
          <header className="sheet-head">
            <h2>
              {t('roster.sheetTitle')} — {districts}
            </h2>
            <p>
              {t('roster.provided', { date: printedOn, name: organization })}
              <br />
              {t('roster.basis')}: {[...new Set(sheet.map((row) => row.basis))].map(basis).join('、')}
              <br />
              {t('roster.receipt')}: {[...new Set(sheet.map((row) => row.receiptNumber))].join('、')}
            </p>
          </header>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('field.address')}</th>
                <th scope="col">{t('field.phone')}</th>
                <th scope="col">{t('roster.needsHelp')}</th>
                <th scope="col">{t('roster.household')}</th>
              </tr>
            </thead>
            <tbody>
              {sheet.map((row) => (
                <tr key={row.personId}>
                  <td>
                    {value(row, 'name', row.name && `${row.name.family} ${row.name.given}`)}
                    {row.kana && <div className="hint">{`${row.kana.family ?? ''} ${row.kana.given ?? ''}`}</div>}
                    {row.birthDate && <div className="hint">{row.birthDate}</div>}
                  </td>
                  <td>{value(row, 'address', row.address)}</td>
                  <td>{value(row, 'phone', row.phone)}</td>
                  <td>{row.needsHelpReason ?? <span className="not-held">{t('case.notHeld')}</span>}</td>
                  <td>{row.householdSituation ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <footer className="sheet-foot">
            {t('roster.secretShort')} — {t('roster.sheet', { n: index + 1, of: sheets.length })}
          </footer>
        </article>
      ))}
    </section>
  );
}
