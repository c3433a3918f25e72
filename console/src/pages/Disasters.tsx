import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, data } from '../api/client';
import { useT } from '../i18n';
import { Status, useMe } from './Layout';

/** The 地区 a disaster is declared for: the tenant's 地区 as the register's figures list them. */
function useDistricts() {
  const me = useMe();
  const keeps = me.data?.kind === 'staff' && me.data.roles.some((r) => r.responsibilities?.includes('register'));
  const figures = useQuery({ queryKey: ['register', 'figures'], enabled: keeps, queryFn: () => data(api.GET('/api/v1/evacuation-support/figures')) });
  return figures.data?.filter((f) => f.district !== 'all').map((f) => f.district);
}

/** 災害の宣言 (安心安全課): the 地区 it covers switch to disaster-time provision of the roster and the plans. */
function Declare({ onDeclared }: { onDeclared: () => void }) {
  const { t } = useT();
  const known = useDistricts();
  const [kind, setKind] = useState('');
  const [title, setTitle] = useState('');
  const [codes, setCodes] = useState('');
  const declare = useMutation({
    mutationFn: () => data(api.POST('/api/v1/evacuation-support/disasters', { body: { kind, title, districtCodes: codes.split(/[\s,、]+/).filter(Boolean) } })),
    onSuccess: () => {
      setKind('');
      setTitle('');
      setCodes('');
      onDeclared();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    declare.mutate();
  };
  return (
    <form onSubmit={submit} className="stack" aria-labelledby="declare-title">
      <h2 id="declare-title">{t('disaster.declare')}</h2>
      <label htmlFor="disaster-kind">{t('disaster.kind')}</label>
      <input id="disaster-kind" value={kind} maxLength={50} required onChange={(e) => setKind(e.target.value)} />
      <label htmlFor="disaster-title">{t('disaster.name')}</label>
      <input id="disaster-title" value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor="disaster-districts">{t('disaster.districts')}</label>
      <input id="disaster-districts" value={codes} required aria-describedby="disaster-districts-hint" onChange={(e) => setCodes(e.target.value)} />
      <p id="disaster-districts-hint" className="hint">
        {t('disaster.districtsHint')}
        {known && known.length > 0 && ` ${t('disaster.known', { codes: known.join('、') })}`}
      </p>
      <div className="actions">
        <button type="submit" disabled={declare.isPending}>
          {t('disaster.doDeclare')}
        </button>
      </div>
      <Status loading={false} error={declare.error} />
    </form>
  );
}

/** 災害モード: the disasters declared and not closed; 安心安全課 declares and closes them; everyone sees what it means for the roster. */
export function Disasters() {
  const { t } = useT();
  const me = useMe();
  const queryClient = useQueryClient();
  const declares = me.data?.kind === 'staff' && me.data.roles.some((r) => r.responsibilities?.includes('disaster'));
  const supporter = me.data?.kind === 'supporter';
  const disasters = useQuery({ queryKey: ['disasters'], queryFn: () => data(api.GET('/api/v1/evacuation-support/disasters', { params: { query: { limit: 100 } } })), refetchInterval: 30_000 });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['disasters'] });
  const close = useMutation({ mutationFn: (id: string) => data(api.POST('/api/v1/evacuation-support/disasters/{id}/actions/close', { params: { path: { id } } })), onSuccess: refresh });
  const open = disasters.data?.items ?? [];
  const at = (iso: string) => new Date(iso).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' });
  return (
    <section aria-labelledby="disasters-title">
      <h1 id="disasters-title">{t('disaster.title')}</h1>
      <p className="notice">{t('disaster.hint')}</p>
      <Status loading={disasters.isPending} error={disasters.error ?? close.error} />
      {disasters.isSuccess && open.length === 0 && <p role="status">{t('disaster.none')}</p>}
      {open.length > 0 && (
        <table className="data-table">
          <caption>{t('disaster.open')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('disaster.name')}</th>
              <th scope="col">{t('disaster.kind')}</th>
              <th scope="col">{t('disaster.districts')}</th>
              <th scope="col">{t('disaster.declaredAt')}</th>
              {declares && <th scope="col">{t('inbox.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {open.map((d) => (
              <tr key={d.id}>
                <td>{d.title}</td>
                <td>{d.kind}</td>
                <td>{d.districtCodes.map((code) => t('roster.district', { code })).join('、')}</td>
                <td>{at(d.declaredAt)}</td>
                {declares && (
                  <td>
                    <button type="button" className="secondary" disabled={close.isPending} aria-label={t('disaster.closeFor', { name: d.title })} onClick={() => close.mutate(d.id)}>
                      {t('disaster.close')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {supporter && open.length > 0 && (
        <p>
          <Link to="/roster/safety">{t('safety.open')}</Link>
        </p>
      )}
      {declares && <Declare onDeclared={refresh} />}
    </section>
  );
}
