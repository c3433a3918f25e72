/** The texts of sign-in with the identity provider, opening a case, consents, live updates and access grants (spread into messages.ts). */
export const consoleSignInMessages = {
  'oidc.intro': { ja: '自治体の認証基盤でサインインします。', en: "Sign in with your municipality's identity provider." },
  'oidc.signIn': { ja: '認証基盤でサインイン', en: 'Sign in with the identity provider' },
  'oidc.completing': { ja: 'サインインしています…', en: 'Signing in…' },
  'oidc.failed': { ja: 'サインインできませんでした: {message}', en: 'Sign-in failed: {message}' },
  'oidc.again': { ja: 'サインインをやり直す', en: 'Sign in again' },
} satisfies Record<string, { ja: string; en: string }>;
