import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useT } from '../i18n';
import { Status } from './Layout';
import { fullName, SheetHead, useShownValue, wholeProvision, type RosterRow } from './provision-sheets';

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children || '—'}</dd>
    </>
  );
}

/** 個別避難計画 held by a 民生委員 / 自主防災組織: one A4 page per person, with the provision's date and basis on each. */
export function PlanPrint() {
  const { t } = useT();
  const value = useShownValue();
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => wholeProvision('/api/v1/evacuation-support/plans'), staleTime: Infinity });
  const rows = (plans.data?.rows ?? []).filter((row): row is RosterRow & { plan: NonNullable<RosterRow['plan']> } => !!row.plan);
  return (
    <section aria-labelledby="plans-title" className="roster">
      <div className="no-print">
        <h1 id="plans-title">{t('plans.title')}</h1>
        <p className="notice">{t('roster.secret')}</p>
        <button type="button" onClick={() => window.print()} disabled={!plans.isSuccess}>
          {t('roster.print')}
        </button>
      </div>
      <Status loading={plans.isPending} error={plans.error} />
      {plans.isSuccess && rows.length === 0 && <p>{t('plans.empty')}</p>}
      {rows.map((row, index) => (
        <article key={row.personId} className="sheet" aria-label={t('roster.sheet', { n: index + 1, of: rows.length })}>
          <SheetHead title={t('plans.sheetTitle')} rows={[row]} at={plans.data?.at} />
          <dl className="plan-sheet">
            <Item term={t('field.name')}>{value(row, 'name', fullName(row.name))}</Item>
            <Item term={t('field.address')}>{value(row, 'address', row.address)}</Item>
            <Item term={t('field.phone')}>{value(row, 'phone', row.phone)}</Item>
            <Item term={t('roster.needsHelp')}>{row.needsHelpReason}</Item>
            <Item term={t('plan.helper')}>{`${row.plan.helper.name}（${row.plan.helper.address}、${row.plan.helper.phone}）`}</Item>
            <Item term={t('plan.shelter')}>{row.plan.shelter}</Item>
            <Item term={t('plan.route')}>{row.plan.route}</Item>
            <Item term={t('plan.careNotes')}>{row.plan.careNotes}</Item>
            <Item term={t('plan.medicalDevices')}>{row.plan.medicalDevices}</Item>
            <Item term={t('plan.medication')}>{row.plan.medication}</Item>
            <Item term={t('plan.contacts')}>{row.plan.emergencyContacts.map((c) => `${c.name}（${c.relation}）${c.phone}`).join('、')}</Item>
          </dl>
          <footer className="sheet-foot">
            {t('roster.secretShort')} — {t('roster.sheet', { n: index + 1, of: rows.length })}
          </footer>
        </article>
      ))}
    </section>
  );
}
