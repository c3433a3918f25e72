import { useQuery } from '@tanstack/react-query';
import { Link, Outlet } from '@tanstack/react-router';
import { api, data } from '../api/client';
import { setLanguage, useT } from '../i18n';
import { session } from '../session';

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => data(api.GET('/api/v1/me')), staleTime: 5 * 60_000 });
}

export function LanguageSwitch() {
  const { t, lang } = useT();
  return (
    <button type="button" className="link-button" lang={lang === 'ja' ? 'en' : 'ja'} aria-label={`${t('app.language')}（${t('app.languageLabel')}）`} onClick={() => setLanguage(lang === 'ja' ? 'en' : 'ja')}>
      {t('app.language')}
    </button>
  );
}

export function Layout() {
  const { t } = useT();
  const me = useMe();
  // Managers and coordinators read the figures (the API decides; the link only spares others a 403).
  const oversees = me.data?.kind === 'staff' && me.data.roles.some((r) => r.role === 'manager' || r.role === 'coordinator');
  const audits = me.data?.kind === 'staff' && me.data.roles.some((r) => r.role === 'auditor');
  const supporter = me.data?.kind === 'supporter';
  const keepsRegister = me.data?.kind === 'staff' && me.data.roles.some((r) => r.responsibilities?.includes('register'));
  const declaresDisasters = me.data?.kind === 'staff' && me.data.roles.some((r) => r.responsibilities?.includes('disaster'));
  const casework = me.data?.kind === 'staff' && me.data.roles.some((r) => r.departmentId);
  const administers = me.data?.kind === 'staff' && me.data.roles.some((r) => r.role === 'admin');
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <span className="app-title">{t('app.title')}</span>
        <nav aria-label={t('nav.label')}>
          {casework && (
            <>
              <Link to="/" activeOptions={{ exact: true }}>
                {t('nav.inbox')}
              </Link>
              <Link to="/cases" search={{}}>
                {t('nav.cases')}
              </Link>
            </>
          )}
          {oversees && <Link to="/overview">{t('nav.overview')}</Link>}
          {audits && <Link to="/audit">{t('nav.audit')}</Link>}
          {keepsRegister && <Link to="/register">{t('nav.register')}</Link>}
          {supporter && <Link to="/roster">{t('nav.roster')}</Link>}
          {keepsRegister && <Link to="/register/entries" search={{}}>{t('nav.entries')}</Link>}
          {supporter && <Link to="/plans">{t('nav.plans')}</Link>}
          {(supporter || keepsRegister || declaresDisasters) && <Link to="/disasters">{t('nav.disasters')}</Link>}
          {administers && <Link to="/audit/grants">{t('grant.nav')}</Link>}
        </nav>
        <div className="app-user">
          {me.data && <span>{t('nav.signedInAs', { name: me.data.displayName })}</span>}
          <LanguageSwitch />
          <button type="button" className="secondary" onClick={() => session.end('signed-out')}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

/** Loading and error states, said the same way on every page. */
export function Status({ loading, error }: { loading: boolean; error: Error | null }) {
  const { t } = useT();
  if (error) return <p role="alert" className="error">{t('error', { message: error.message })}</p>;
  if (loading) return <p role="status">{t('loading')}</p>;
  return null;
}
