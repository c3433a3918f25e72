/// <reference lib="dom" />
import { randomBytes } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import type { Browser, Page } from 'playwright-core';
import type { paths } from '../generated/api';
import { accountId, departmentId } from '../../seeds/demo-data';
import { buildConsole, checkScreen, launchChromium, readableContent } from '../browser/console-browser';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The console with the municipality's identity provider (a tiny one in this process): authorization
 * code with PKCE, the token in memory only, a session that expires on the page returns through the
 * provider to the same page with the half-typed draft, and signing out forgets the drafts.
 */
describe('the console signed in through an identity provider', () => {
  let idp: TestOidcProvider;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const run = `si${randomBytes(4).toString('hex')}`;
  const caseTitle = `訪問の世帯 ${run}`;
  let caseId: string;
  const protectedValues = { address: `秘匿住所 ${run}-addr`, phone: `090-${run}` };
  /** What each screen showed and stored, scanned at the end for the DV-protected values. */
  const seen: string[] = [];
  const check = async (page: Page, name: string) => {
    await checkScreen(page, name);
    seen.push(await readableContent(page));
  };

  /** The API as a demo login, with a token this provider issued. */
  const apiAs = (login: string): Client<paths> => {
    const client = createClient<paths>({ baseUrl: base });
    client.use({ onRequest: async ({ request }) => (request.headers.set('Authorization', `Bearer ${await idp.token(login)}`), request) });
    return client;
  };

  beforeAll(async () => {
    buildConsole();
    idp = await startOidcProvider();
    browser = await launchChromium();
    t = await startTestApp(idp.env);
    base = await t.url();
    const opened = await apiAs('choju-counselor').POST('/api/v1/cases', { body: { title: caseTitle, issues: ['care'], persons: [{ relation: '本人', familyName: '訪問', givenName: '春子' }] } });
    caseId = opened.data!.id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  async function signInThroughProvider(page: Page, login: string) {
    idp.signInAs(login);
    await page.getByRole('button', { name: '認証基盤でサインイン' }).click();
  }

  it('says how to sign in: the provider, never the demo logins', async () => {
    expect((await t.http().get('/api/v1/sign-in/options').expect(200)).body).toEqual({ method: 'oidc', oidc: { issuer: idp.issuer, clientId: 'tsunagi-console', scope: 'openid' } });
    await t.http().get('/api/v1/demo/logins').expect(404);
  });

  it('signs in with PKCE, comes back to the page after the session expires with the draft kept, and forgets it on sign-out', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    // The page's clock, so the session's expiry can be reached without waiting for it.
    await page.clock.install();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/sign-in$/);
    await page.getByText('自治体の認証基盤でサインインします。').waitFor();
    await check(page, 'sign-in-oidc');
    await signInThroughProvider(page, 'choju-counselor');
    await page.getByRole('heading', { name: '受信した依頼（つなぎ）' }).waitFor();
    await page.getByText('長寿 和子 としてサインイン中').waitFor();

    // The flow was the authorization code with PKCE: a S256 challenge out, its verifier traded with the code.
    const [authorize] = idp.seen.authorize;
    expect({ method: authorize.get('code_challenge_method'), redirect: authorize.get('redirect_uri'), state: !!authorize.get('state') }).toEqual({ method: 'S256', redirect: `${base}/sign-in/callback`, state: true });
    expect(idp.seen.token.map((form) => [form.get('grant_type'), !!form.get('code_verifier')])).toEqual([['authorization_code', true]]);
    // The token lives in memory only: nothing of the round trip is left in storage, no cookie holds it.
    expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }))).toEqual({ local: 0, session: 0, cookie: '' });

    await page.goto(`${base}/`); // a reload forgets the in-memory session…
    await page.waitForURL(/\/sign-in$/);
    await signInThroughProvider(page, 'choju-counselor'); // …and the provider signs in again
    await page.getByRole('link', { name: '課のケース' }).click();
    await page.getByRole('row').filter({ hasText: caseTitle }).getByRole('link').click();
    await page.getByRole('heading', { name: new RegExp(caseTitle) }).waitFor();
    await page.getByLabel('記録の内容').fill('書きかけの訪問記録');

    // Two hours later the session has expired: back to sign-in, saying so.
    await page.clock.fastForward('02:00:00');
    await page.getByText('サインインの有効期限が切れました。もう一度サインインしてください。').waitFor();
    // Through the provider again, and back on the same case with the draft as it was typed.
    await signInThroughProvider(page, 'choju-counselor');
    await page.waitForURL(`${base}/cases/${caseId}`);
    await expect(page.getByLabel('記録の内容').inputValue()).resolves.toBe('書きかけの訪問記録');

    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByText('サインアウトしました。').waitFor();
    expect(await readableContent(page)).not.toContain('書きかけの訪問記録');
    expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }))).toEqual({ local: 0, session: 0 });
    await context.close();
  }, 120_000);

  it('opens a case after the intake check says who already knows the person, and records her consent', async () => {
    // 福祉課 already holds the mother.
    await apiAs('fukushi-counselor').POST('/api/v1/cases', { body: { title: `福祉課の相談 ${run}`, issues: ['poverty'], persons: [{ relation: '本人', familyName: '重複', givenName: `ハナ${run}`, birthDate: '1946-05-05' }] } });
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await signInThroughProvider(page, 'choju-counselor');
    await page.getByRole('link', { name: '課のケース' }).click();
    await page.getByRole('link', { name: 'ケースを開く' }).click();
    await page.getByRole('heading', { name: 'ケースを開く（相談の受付）' }).waitFor();
    await page.getByLabel('件名').fill(`母と次男の世帯 ${run}`);
    await page.getByLabel('世帯名（任意）').fill('重複家');
    await page.getByRole('group', { name: '課題（1つ以上）' }).getByLabel('介護').check();
    const mother = page.getByRole('group', { name: '世帯員 1' });
    await mother.getByLabel('姓').fill('重複');
    await mother.getByLabel('名', { exact: true }).fill(`ハナ${run}`);
    await mother.getByLabel('生年月日').fill('1946-05-05');
    await page.getByRole('button', { name: '世帯員を追加' }).click();
    const son = page.getByRole('group', { name: '世帯員 2' });
    await son.getByLabel('続柄').fill('次男');
    await son.getByLabel('姓').fill('重複');
    await son.getByLabel('名', { exact: true }).fill('次郎');
    await page.getByLabel('重複確認の理由（監査記録に残ります）').fill('新規相談の受付のため');
    // The case is not opened before the check: the first button only asks.
    await page.getByRole('button', { name: '既に把握されている人か確認する' }).click();
    await mother.getByText('既に把握されています（保有する課: 福祉課）').waitFor();
    await son.getByText('氏名と生年月日がないため確認していません。').waitFor();
    expect(await t.sql(`select 1 from cases where title = $1`, [`母と次男の世帯 ${run}`])).toEqual([]);
    await check(page, 'open-case-checked');
    await page.getByRole('button', { name: 'ケースを開く' }).click();
    await page.getByRole('heading', { name: new RegExp(`母と次男の世帯 ${run}`) }).waitFor();
    // Sent: the draft is gone from the tab's storage.
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    // 本人同意: none yet; record one to 健康推進課 for her basic facts.
    const consents = page.getByRole('region', { name: '本人 の本人同意' });
    await consents.getByText('記録された本人同意はありません。').waitFor();
    await consents.getByRole('button', { name: '本人 の本人同意を記録' }).click();
    const form = consents.getByRole('form', { name: '本人 の本人同意を記録' });
    await form.getByRole('group', { name: '提供先の課' }).getByLabel('健康推進課').check();
    await form.getByLabel('目的').fill('保健師の訪問のため');
    await check(page, 'consent-form');
    await form.getByRole('button', { name: '同意を記録' }).click();
    const row = consents.getByRole('row').filter({ hasText: '保健師の訪問のため' });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/健康推進課[\s\S]*有効/);
    await check(page, 'consents');
    await context.close();
  }, 120_000);

  it('shows auditors who acted by name, and takes an access grant from request to approval', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await signInThroughProvider(page, 'auditor');
    await page.getByRole('link', { name: '監査' }).click();
    await page.getByLabel('操作した職員のID').fill(accountId('choju-counselor'));
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.waitForURL(/actorId=/);
    const firstRow = page.getByRole('row').nth(1);
    await expect(firstRow.innerText()).resolves.toContain('長寿 和子');

    await page.getByRole('link', { name: '閲覧特例' }).click();
    await page.getByRole('heading', { name: '監査のための閲覧特例' }).waitFor();
    await page.getByLabel('ケースID').fill(caseId);
    await page.getByLabel('理由（10文字以上）').fill('苦情申立てに基づく記録の確認のため');
    await page.getByRole('button', { name: '申請する' }).click();
    const grant = page.getByRole('row').filter({ hasText: '苦情申立てに基づく記録の確認のため' });
    await expect(grant.innerText()).resolves.toMatch(/監査 花子[\s\S]*申請中/);
    await check(page, 'access-grants-requested');
    await page.getByRole('button', { name: 'サインアウト' }).click();

    // An administrator approves; the auditor's request shows who decided, by name.
    await signInThroughProvider(page, 'admin');
    await page.getByRole('link', { name: '閲覧特例' }).click();
    await grant.getByRole('button', { name: /^承認/ }).click();
    await grant.getByText('許可').waitFor();
    await expect(grant.innerText()).resolves.toContain('管理 太郎');
    await check(page, 'access-grants-decided');
    await context.close();
  }, 120_000);

  it('updates the inbox when a referral arrives, saying when it last looked, in Japanese and English', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${base}/`);
    await signInThroughProvider(page, 'choju-counselor');
    await page.getByRole('heading', { name: '受信した依頼（つなぎ）' }).waitFor();
    await page.getByText(/^最終更新 /).waitFor();
    // 福祉課 refers a household with a DV-protected mother (福祉課's counselor is her protector) to 長寿課.
    const fukushi = apiAs('fukushi-counselor');
    const theirs = await fukushi.POST('/api/v1/cases', {
      body: {
        title: `福祉課の世帯 ${run}`,
        issues: ['poverty', 'dv'],
        persons: [{ relation: '本人', familyName: '秘匿', givenName: '母子', birthDate: '1960-03-03', address: protectedValues.address, phone: protectedValues.phone, dvProtected: true }],
      },
    });
    const purpose = `家計の相談 ${run}`;
    await fukushi.POST('/api/v1/cases/{id}/referrals', {
      params: { path: { id: theirs.data!.id } },
      body: { toDepartmentId: departmentId('tsunagi-city', 'choju'), purpose, legalBasis: 'APPI_INTERNAL', legalBasisReason: '庁内での支援調整のため', share: { case: ['issues'] } },
    });
    const row = page.getByRole('row').filter({ hasText: purpose });
    expect(await row.count()).toBe(0);
    // The inbox looks again on its own (every 30 seconds): the referral shows up without a reload.
    await page.clock.fastForward('00:00:31');
    await row.waitFor();
    await check(page, 'inbox-updated');

    await page.getByRole('button', { name: /^English/ }).click();
    await page.getByRole('heading', { name: 'Incoming referrals' }).waitFor();
    await page.getByText(/^Last updated /).waitFor();
    await expect(row.getByRole('button').allInnerTexts()).resolves.toEqual(['Accept', 'Decline']);
    await check(page, 'inbox-en');
    await row.getByRole('button', { name: /^Accept/ }).click();
    await row.getByRole('button', { name: /^Start/ }).waitFor();
    // The case page in English: one of 長寿課's own cases.
    await page.getByRole('link', { name: "My department's cases" }).click();
    await page.getByRole('row').filter({ hasText: caseTitle }).getByRole('link').click();
    await page.getByRole('heading', { name: 'Persons' }).waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await check(page, 'case-en');
    await context.close();
  }, 120_000);

  it('renders every row of each page of a 1,000-row inbox and caseload, and paging reaches the last row', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    // The lists as a busy department's would answer them: 1,000 rows, 50 a page, keyset cursors.
    const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const referral = (n: number) => ({
      id: uuid(n), caseId: uuid(5000 + n), fromDepartmentId: departmentId('tsunagi-city', 'fukushi'), toDepartmentId: departmentId('tsunagi-city', 'choju'),
      purpose: `依頼 ${n}`, state: 'proposed', version: 1, legalBasis: 'APPI_INTERNAL', dueOn: '2026-12-01', expiresOn: '2026-12-10', overdue: n % 7 === 0,
      needsAttention: false, declineReason: null, returnReason: null, approvedBy: null, approvedAt: null, outcome: null, outcomeNote: null, allowedActions: ['accept', 'decline'],
    });
    const kase = (n: number) => ({ id: uuid(5000 + n), caseNumber: `R8-${String(n).padStart(4, '0')}`, title: `ケース ${n}`, state: 'support', issues: ['care'], updatedAt: '2026-11-27T10:00:00.000Z', version: 1, persons: [], allowedActions: [] });
    const paged = (make: (n: number) => object) => async (route: import('playwright-core').Route) => {
      const url = new URL(route.request().url());
      const from = Number(url.searchParams.get('cursor') || 0);
      const limit = Number(url.searchParams.get('limit'));
      const items = Array.from({ length: Math.min(limit, 1000 - from) }, (_, i) => make(from + i + 1));
      await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ items, next: from + limit < 1000 ? String(from + limit) : null }) });
    };
    await page.route(/\/api\/v1\/referrals\?/, paged(referral));
    await page.route(/\/api\/v1\/cases\?/, paged(kase));

    await page.goto(`${base}/`);
    await signInThroughProvider(page, 'choju-counselor');
    for (const [link, heading, first, last] of [
      ['受信した依頼', '受信した依頼（つなぎ）', '依頼 1', '依頼 1000'],
      ['課のケース', '課のケース一覧', 'ケース 1', 'ケース 1000'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading }).waitFor();
      // Read in the page itself, once a page: a role query over thousands of cells would cost more than the render.
      const label = first.split(' ')[0];
      const table = (n: number) =>
        page.evaluate((n) => {
          const rows = document.querySelectorAll<HTMLTableRowElement>('table.data-table tbody tr');
          return { count: rows.length, first: rows[n - 50]?.innerText.split('\t'), last: rows[n - 1]?.innerText.split('\t') };
        }, n);
      for (let pages = 1; pages <= 20; pages++) {
        // Every row of the pages fetched so far is in the table, in order, none missing, none twice.
        await page.waitForFunction((n) => document.querySelectorAll('table.data-table tbody tr').length >= n, pages * 50);
        const shown = await table(pages * 50);
        expect(shown.count).toBe(pages * 50);
        expect(shown.first).toContain(`${label} ${pages * 50 - 49}`);
        expect(shown.last).toContain(`${label} ${pages * 50}`);
        if (pages < 20) await page.getByRole('button', { name: 'さらに表示' }).click();
      }
      const rows = page.locator('table.data-table tbody tr');
      expect((await rows.last().innerText()).split('\t')).toContain(last);
      expect(await page.getByRole('button', { name: 'さらに表示' }).count()).toBe(0);
    }
    await context.close();
  }, 180_000);

  it('refuses a callback it did not start', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in/callback?code=stolen&state=guessed`);
    await page.getByText('サインインできませんでした: state mismatch').waitFor();
    await check(page, 'sign-in-callback-refused');
    expect(idp.seen.token.filter((form) => form.get('code') === 'stolen')).toEqual([]);
    await context.close();
  }, 60_000);

  it('never shows a DV-protected value on any of these screens', () => {
    expect(seen.length).toBeGreaterThan(5);
    const everything = seen.join('\n');
    for (const [field, value] of Object.entries(protectedValues)) expect({ field, leaked: everything.includes(value) }).toEqual({ field, leaked: false });
  });
});
