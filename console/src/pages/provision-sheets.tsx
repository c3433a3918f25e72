import type { ReactNode } from 'react';
import { api, data } from '../api/client';
import type { components } from '../api/api';
import { useT } from '../i18n';
import { useLabels } from '../labels';
import type { MessageKey } from '../messages';
import { useMe } from './Layout';

/**
 * What the roster, the 個別避難計画 and the 安否確認 sheets share: fetching a whole provision, A4 pages,
 * and the heading each printed page repeats (date, recipient, legal basis, receipt).
 */
export type RosterRow = components['schemas']['RosterRow'];
type Field = RosterRow['withheldFields'][number];

/** Every page of the roster or the plans: each page fetched is its own recorded provision. */
export async function wholeProvision(path: '/api/v1/evacuation-support/roster' | '/api/v1/evacuation-support/plans'): Promise<{ rows: RosterRow[]; at: Date }> {
  const rows: RosterRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await data(api.GET(path, { params: { query: { limit: 100, ...(cursor && { cursor }) } } }));
    rows.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return { rows, at: new Date() };
}

export function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Who the provision went to, on which date (a Japan date, wherever the browser's clock is set) and basis. */
export function useProvisionHeading(at: Date | undefined) {
  const { t } = useT();
  const label = useLabels();
  const me = useMe();
  const supporter = me.data?.kind === 'supporter' ? me.data : null;
  return {
    organization: supporter ? `${label('supporterOrganization', supporter.organizationType)} ${supporter.displayName}` : (me.data?.displayName ?? ''),
    districts: supporter ? supporter.districtCodes.map((code) => t('roster.district', { code })).join('、') : '',
    printedOn: at?.toLocaleDateString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' }) ?? '',
    basis: (code: RosterRow['basis']) => `${label('legalBasis', code)}（${t(`roster.article.${code}` as MessageKey)}）`,
  };
}

/** The heading repeated on every printed page. */
export function SheetHead({ title, rows, at }: { title: string; rows: RosterRow[]; at: Date | undefined }) {
  const { t } = useT();
  const heading = useProvisionHeading(at);
  return (
    <header className="sheet-head">
      <h2>
        {title}
        {heading.districts && ` — ${heading.districts}`}
      </h2>
      <p>
        {t('roster.provided', { date: heading.printedOn, name: heading.organization })}
        <br />
        {t('roster.basis')}: {[...new Set(rows.map((row) => row.basis))].map(heading.basis).join('、')}
        <br />
        {t('roster.receipt')}: {[...new Set(rows.map((row) => row.receiptNumber))].join('、')}
      </p>
    </header>
  );
}

/** A person's field as the supporter may see it: withheld (DV protection) is said, never shown as empty. */
export function useShownValue() {
  const { t } = useT();
  return (row: RosterRow, field: Field, text: string | null): ReactNode =>
    row.withheldFields.includes(field) || (row.contactWithheld && (field === 'address' || field === 'phone')) ? <span className="withheld">{t('case.withheld')}</span> : (text ?? <span className="not-held">{t('case.notHeld')}</span>);
}

export const fullName = (name: { family: string; given: string } | null) => name && `${name.family} ${name.given}`;
