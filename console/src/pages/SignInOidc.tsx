import { useEffect, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useT } from '../i18n';
import { beginSignIn, completeSignIn, type OidcOptions } from '../oidc';

/** The sign-in page's part when the service trusts the municipality's identity provider. */
export function OidcSignIn({ options }: { options: OidcOptions }) {
  const { t } = useT();
  const leave = useMutation({ mutationFn: () => beginSignIn(options) });
  return (
    <>
      <p>{t('oidc.intro')}</p>
      <button type="button" onClick={() => leave.mutate()} disabled={leave.isPending}>
        {t('oidc.signIn')}
      </button>
      <p className="hint">{t('signIn.memory')}</p>
      {leave.isError && <p role="alert" className="error">{t('error', { message: leave.error.message })}</p>}
    </>
  );
}

/** /sign-in/callback: where the identity provider sends the browser back with the code. */
export function SignInCallback() {
  const { t } = useT();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  // The code is single use: StrictMode's second effect run must not trade it again.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    completeSignIn(new URLSearchParams(location.search)).then(
      (to) => void navigate({ to, replace: true }),
      (error: Error) => setFailure(error.message),
    );
  }, [navigate]);
  return (
    <main id="main" className="sign-in">
      <h1>
        {t('app.title')} — {t('signIn.title')}
      </h1>
      {failure ? (
        <>
          <p role="alert" className="error">{t('oidc.failed', { message: failure })}</p>
          <a href="/sign-in">{t('oidc.again')}</a>
        </>
      ) : (
        <p role="status">{t('oidc.completing')}</p>
      )}
    </main>
  );
}
