import { useQuery } from '@tanstack/react-query';
import { api, data } from '../api/client';
import { useT } from '../i18n';
import { Status } from './Layout';
import { chunks, fullName, SheetHead, useShownValue, wholeProvision } from './provision-sheets';

const PER_SHEET = 6;

/**
 * 安否確認票: in a declared disaster, the supporter's roster (now provided without consent, 49条の11③)
 * as A4 check sheets to take door to door — whether each person is safe, and where they went.
 */
export function SafetyCheck() {
  const { t } = useT();
  const value = useShownValue();
  const disasters = useQuery({ queryKey: ['disasters'], queryFn: () => data(api.GET('/api/v1/evacuation-support/disasters', { params: { query: { limit: 100 } } })) });
  const roster = useQuery({ queryKey: ['roster', 'safety'], queryFn: () => wholeProvision('/api/v1/evacuation-support/roster'), staleTime: Infinity });
  const rows = roster.data?.rows ?? [];
  const declared = disasters.data?.items ?? [];
  const mark = t('safety.marks');
  return (
    <section aria-labelledby="safety-title" className="roster">
      <div className="no-print">
        <h1 id="safety-title">{t('safety.title')}</h1>
        <p className="notice">{declared.length ? t('safety.declared', { names: declared.map((d) => d.title).join('、') }) : t('safety.normal')}</p>
        <p className="notice">{t('roster.secret')}</p>
        <button type="button" onClick={() => window.print()} disabled={!roster.isSuccess}>
          {t('roster.print')}
        </button>
      </div>
      <Status loading={roster.isPending || disasters.isPending} error={roster.error ?? disasters.error} />
      {roster.isSuccess && rows.length === 0 && <p>{t('roster.empty')}</p>}
      {chunks(rows, PER_SHEET).map((sheet, index, sheets) => (
        <article key={sheet[0].personId} className="sheet" aria-label={t('roster.sheet', { n: index + 1, of: sheets.length })}>
          <SheetHead title={t('safety.sheetTitle')} rows={sheet} at={roster.data?.at} />
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('field.address')}</th>
                <th scope="col">{t('field.phone')}</th>
                <th scope="col">{t('roster.needsHelp')}</th>
                <th scope="col">{t('safety.status')}</th>
                <th scope="col">{t('safety.whereabouts')}</th>
              </tr>
            </thead>
            <tbody>
              {sheet.map((row) => (
                <tr key={row.personId}>
                  <td>{value(row, 'name', fullName(row.name))}</td>
                  <td>{value(row, 'address', row.address)}</td>
                  <td>{value(row, 'phone', row.phone)}</td>
                  <td>{row.needsHelpReason ?? <span className="not-held">{t('case.notHeld')}</span>}</td>
                  <td className="check-cell">{mark}</td>
                  <td className="write-cell" />
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
