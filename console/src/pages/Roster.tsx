import { useQuery } from '@tanstack/react-query';
import { useT } from '../i18n';
import { Status } from './Layout';
import { chunks, fullName, SheetHead, useShownValue, wholeProvision, type RosterRow } from './provision-sheets';

type Row = RosterRow;
/** People per printed A4 page: each page carries the provision's date, basis and receipt again. */
const PER_SHEET = 6;

/** 避難行動要支援者名簿 for 民生委員 / 自主防災組織: their 地区, as printable A4 pages. */
export function Roster() {
  const { t } = useT();
  const value = useShownValue();
  const roster = useQuery({ queryKey: ['roster'], queryFn: () => wholeProvision('/api/v1/evacuation-support/roster'), staleTime: Infinity });
  const rows = roster.data?.rows ?? [];
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
          <SheetHead title={t('roster.sheetTitle')} rows={sheet} at={roster.data?.at} />
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
                    {value(row, 'name', fullName(row.name))}
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
