import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, data } from '../api/client';
import { useT } from '../i18n';
import type { MessageKey } from '../messages';
import { session } from '../session';
import { LanguageSwitch } from './Layout';
import { OidcSignIn } from './SignInOidc';

/** サインイン: the demo logins as `npm run token` knows them, or the identity provider (SignInOidc.tsx), as GET /sign-in/options says; the token stays in memory. */
export function SignIn() {
  const { t } = useT();
  const navigate = useNavigate();
  const options = useQuery({ queryKey: ['sign-in-options'], queryFn: () => data(api.GET('/api/v1/sign-in/options')), retry: false });
  const demo = options.data?.method === 'demo';
  const logins = useQuery({ queryKey: ['demo-logins'], queryFn: () => data(api.GET('/api/v1/demo/logins')), retry: false, enabled: demo });
  const signIn = useMutation({
    mutationFn: (login: string) => data(api.POST('/api/v1/demo/sign-in', { body: { login } })),
    onSuccess: (answer) => {
      session.start({ token: answer.accessToken, login: answer.login, expiresAt: Date.now() + answer.expiresIn * 1000 });
      void navigate({ to: '/' });
    },
  });
  const ended = session.endedBecause();
  return (
    <main id="main" className="sign-in">
      <div className="sign-in-head">
        <h1>
          {t('app.title')} — {t('signIn.title')}
        </h1>
        <LanguageSwitch />
      </div>
      {ended && <p role="status" className="notice">{t(ended === 'expired' ? 'signIn.expired' : 'signIn.signedOut')}</p>}
      {options.data?.oidc ? (
        <OidcSignIn options={options.data.oidc} />
      ) : options.isPending ? (
        <p role="status">{t('loading')}</p>
      ) : !demo || logins.isError ? (
        <p className="notice">{t('signIn.noDemo')}</p>
      ) : (
        <>
          <p className="demo-banner">{t('signIn.demo')}</p>
          <ul className="login-list">
            {logins.data?.items.map((login) => (
              <li key={login.login}>
                <button type="button" onClick={() => signIn.mutate(login.login)} disabled={signIn.isPending}>
                  <span className="login-name">{t('signIn.as', { name: login.displayName })}</span>
                  <span className="login-meta">
                    {login.login} · {login.roles.map((r) => `${r.department ? `${r.department} ` : ''}${t(`role.${r.role}` as MessageKey)}`).join('、')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <p className="hint">{t('signIn.memory')}</p>
        </>
      )}
      {signIn.isError && <p role="alert" className="error">{t('error', { message: signIn.error.message })}</p>}
    </main>
  );
}
