/// <reference lib="dom" />
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { departmentId } from '../../seeds/demo-data';
import { buildConsole, checkScreen, launchChromium, readableContent, signInAs, tabToAndPress } from '../browser/console-browser';
import { settle } from '../support/projections';
import { startTestApp, type TestApp } from '../support/test-app';

const CITY = 'tsunagi-city';

/**
 * The console in Debian's Chromium against the service: demo sign-in, the 長寿課 counselor's inbox,
 * caseload and case page; then a colleague who is not the DV-protected person's protector opens the
 * same case and sees 「非表示（保護対象）」 where her address is, and her values nowhere in the page,
 * its storage or its console; then the overview's charts. Every screen: 0 serious/critical axe findings and a screenshot.
 */
describe('the console in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const run = `cs${randomBytes(4).toString('hex')}`;
  const protectedValues = { address: `秘匿住所 ${run}-addr 1-2-3`, phone: `090-${run}`, email: `${run}@example.jp`, disability: `秘匿障害 ${run}-dis`, medicalHistory: `秘匿病歴 ${run}-med` };
  const caseTitle = `母と長男の世帯 ${run}`;
  const purpose = `家計と介護の相談 ${run}`;
  let caseId: string;
  let referralId: string;

  beforeAll(async () => {
    buildConsole();
    browser = await launchChromium();
    t = await startTestApp({ SEED_DEMO: 'true' });
    base = await t.url();
    // 長寿課 opens a case with a DV-protected mother (its counselor is her protector, no one else);
    // 福祉課 sends 長寿課 a referral about a case of its own.
    const opened = await t.api('choju-counselor').POST('/api/v1/cases', {
      body: {
        title: caseTitle,
        issues: ['care', 'dv'],
        persons: [
          { relation: '本人', familyName: '保護', givenName: '花子', birthDate: '1944-02-02', sex: 'female', address: protectedValues.address, phone: protectedValues.phone, email: protectedValues.email, sensitive: { disability: protectedValues.disability, medicalHistory: protectedValues.medicalHistory }, dvProtected: true },
          { relation: '長男', familyName: '保護', givenName: '一郎', birthDate: '1974-06-10', sex: 'male', address: 'つなぎ市本町9-9' },
        ],
      },
    });
    caseId = opened.data!.id;
    const theirs = await t.api('fukushi-counselor').POST('/api/v1/cases', { body: { title: `福祉課の世帯 ${run}`, issues: ['poverty'], persons: [{ relation: '本人', familyName: '福祉', givenName: '太郎' }] } });
    const referred = await t.api('fukushi-counselor').POST('/api/v1/cases/{id}/referrals', {
      params: { path: { id: theirs.data!.id } },
      body: { toDepartmentId: departmentId(CITY, 'choju'), purpose, legalBasis: 'APPI_INTERNAL', legalBasisReason: '庁内での支援調整のため', share: { case: ['issues'] } },
    });
    referralId = referred.data!.id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const check = checkScreen;
  async function signIn(page: Page, displayName: string) {
    await signInAs(page, base, displayName);
    await page.getByRole('heading', { name: '受信した依頼（つなぎ）' }).waitFor();
  }

  it('is served at / and at any page path, and shadows none of the service’s own paths', async () => {
    for (const page of ['/', '/cases', '/cases/00000000-0000-4000-8000-000000000000', '/sign-in']) {
      const res = await t.http().get(page).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<title>つなぎ コンソール</title>');
    }
    const script = /src="(\/assets\/[^"]+\.js)"/.exec((await t.http().get('/')).text)![1];
    expect((await t.http().get(script).expect(200)).headers['cache-control']).toMatch(/immutable/);
    await t.http().get('/assets/no-such-file.js').expect(404);
    expect((await t.http().get('/api/v1/no-such-route').expect(404)).body.code).toBe('route_not_found');
    expect((await t.http().get('/api/nothing').expect(404)).body.code).toBe('route_not_found');
    await t.http().get('/health/live').expect(200).expect('content-type', /json/);
    await t.http().get('/docs-json').expect(200).expect('content-type', /json/);
    await t.http().get('/metrics').expect(200).expect('content-type', /^text\/plain/);
  });

  it('signs a counselor in from the demo page by keyboard, shows the inbox with the server’s actions, the caseload and the case, and refers from it', async () => {
    const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/sign-in$/);
    await page.getByText('これはデモ環境です').waitFor();
    await check(page, 'sign-in');

    // By keyboard only: Tab to the login, Enter; later Tab to the referral's 受理, Enter.
    await tabToAndPress(page, '長寿 和子 でサインイン');
    await page.getByRole('heading', { name: '受信した依頼（つなぎ）' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: purpose });
    await row.waitFor();
    // The buttons are exactly what the API allows on this referral.
    const allowed = (await t.api('choju-counselor').GET('/api/v1/referrals/{id}', { params: { path: { id: referralId } } })).data!.allowedActions;
    expect(allowed).toEqual(['accept', 'decline']);
    await expect(row.getByRole('button')).toHaveTexts(['受理', '辞退']);
    await check(page, 'inbox');

    await tabToAndPress(page, `受理（${purpose}）`);
    await row.getByRole('button', { name: `対応開始（${purpose}）` }).waitFor();
    expect((await t.api('choju-counselor').GET('/api/v1/referrals/{id}', { params: { path: { id: referralId } } })).data!.state).toBe('accepted');

    await page.getByRole('link', { name: '課のケース' }).click();
    await page.getByRole('heading', { name: '課のケース一覧' }).waitFor();
    await page.getByRole('row').filter({ hasText: caseTitle }).waitFor();
    await check(page, 'caseload');

    await page.getByRole('row').filter({ hasText: caseTitle }).getByRole('link').click();
    await page.getByRole('heading', { name: new RegExp(caseTitle) }).waitFor();
    // Her protector sees her address.
    await page.getByText(protectedValues.address).waitFor();
    await page.getByLabel('記録の内容').fill('自宅を訪問した。');
    await page.getByRole('button', { name: '記録を追加' }).click();
    await page.getByText('自宅を訪問した。', { exact: true }).waitFor();
    await check(page, 'case');

    // つなぐ: with consent as the basis, the form says before sending that no consent covers her address for 健康推進課.
    const form = page.getByRole('region', { name: 'つなぐ（他の課へ依頼）' });
    await form.getByLabel('依頼先の課').selectOption({ label: '健康推進課' });
    await form.getByLabel('目的').fill(`保健師の訪問 ${run}`);
    const herFields = form.getByRole('group', { name: '本人 の共有する項目' });
    await herFields.getByLabel('住所').check();
    await herFields.getByText(/同意がこの課への提供を含みません（連絡先）/).waitFor();
    await herFields.getByLabel('住所').uncheck();
    await herFields.getByLabel('氏名').check();
    await form.getByLabel('提供の根拠').selectOption('APPI_INTERNAL');
    await form.getByLabel(/根拠の理由/).fill('本人の健康確認が急がれるため');
    await check(page, 'refer');
    await form.getByRole('button', { name: 'つなぐ' }).click();
    await form.getByText('依頼を送りました。').waitFor();
    const sent = (await t.api('choju-counselor').GET('/api/v1/referrals', { params: { query: { box: 'outgoing' } } })).data!.items;
    expect(sent.map((r) => [r.purpose, r.toDepartmentId, r.legalBasis])).toContainEqual([`保健師の訪問 ${run}`, departmentId(CITY, 'kenko'), 'APPI_INTERNAL']);

    // A session the API refuses (expired) returns to sign-in, saying so; the half-typed note survives it.
    const caseUrl = page.url();
    await page.getByLabel('記録の内容').fill('書きかけの記録');
    // As for an expired token: every request carrying it is refused; the public sign-in routes still answer.
    await page.route('**/api/v1/**', (route) =>
      route.request().headers().authorization
        ? route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ status: 401, code: 'unauthenticated' }) })
        : route.continue(),
    );
    await page.getByRole('link', { name: '受信した依頼' }).click();
    await page.getByText('サインインの有効期限が切れました。もう一度サインインしてください。').waitFor();
    await page.unroute('**/api/v1/**');
    await page.getByRole('button', { name: '長寿 和子 でサインイン' }).click();
    await page.waitForURL(`${base}/`);
    await page.getByRole('link', { name: '課のケース' }).click();
    await page.getByRole('row').filter({ hasText: caseTitle }).getByRole('link').click();
    expect(page.url()).toBe(caseUrl);
    await expect(page.getByLabel('記録の内容').inputValue()).resolves.toBe('書きかけの記録');

    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByText('サインアウトしました。').waitFor();
    // The session lived in memory only: nothing of it (or of the case) is left in the browser's storage.
    const left = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
    expect(left).toEqual({ local: 0, session: 0, cookie: '' });
    await page.close();
  }, 120_000);

  it('shows a colleague who is not her protector 「非表示（保護対象）」, and her values nowhere in the page, its storage or its console', async () => {
    const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    const seen: string[] = [];
    await settle(t); // the reporting projections catch up with the referral accepted above
    await signIn(page, '長寿 課長');
    seen.push(await readableContent(page));
    await page.getByRole('link', { name: '課のケース' }).click();
    await page.getByRole('row').filter({ hasText: caseTitle }).getByRole('link').click();
    await page.getByRole('heading', { name: new RegExp(caseTitle) }).waitFor();
    const mother = page.getByRole('region', { name: '続柄: 本人' });
    await mother.getByText('DV等支援措置により住所・連絡先は表示されません。').waitFor();
    // Address, phone and email are withheld by her DV protection (要配慮 fields are not in a manager's view at all).
    for (const field of ['住所', '電話', 'メール']) {
      await expect(mother.locator('.fact').filter({ hasText: field }).innerText()).resolves.toMatch(/非表示（保護対象）/);
    }
    await check(page, 'case-withheld');
    seen.push(await readableContent(page));
    await page.getByRole('button', { name: /^English/ }).click();
    await page.getByRole('heading', { name: /Persons/ }).waitFor();
    await page.getByText('Withheld (protected)').first().waitFor();
    seen.push(await readableContent(page));
    // The overview: the referral 長寿課 accepted from 福祉課 is a cell of the heat map, and its CSV downloads.
    await page.getByRole('button', { name: /^日本語/ }).click();
    await page.getByRole('link', { name: '概要' }).click();
    const heatmap = page.getByRole('table').filter({ hasText: '行が依頼元' });
    await expect(heatmap.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '福祉課' }) }).innerText()).resolves.toMatch(/\d/);
    await check(page, 'overview');
    seen.push(await readableContent(page));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV をダウンロード（課の間のつなぎ（依頼件数））' }).click()]);
    expect(download.suggestedFilename()).toBe('referrals.csv');
    const everything = [...seen, ...consoleLines].join('\n');
    for (const [field, value] of Object.entries(protectedValues)) expect({ field, leaked: everything.includes(value) }).toEqual({ field, leaked: false });
    await page.close();
  }, 120_000);
});

/** A count of texts in order, for `expect(locator).toHaveTexts` without @playwright/test. */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toHaveTexts(expected: string[]): Promise<R>;
    }
  }
}
expect.extend({
  async toHaveTexts(locator: import('playwright-core').Locator, expected: string[]) {
    const texts = (await locator.allInnerTexts()).map((text) => text.trim());
    const pass = this.equals(texts, expected);
    return { pass, message: () => `expected the texts ${JSON.stringify(texts)} to be ${JSON.stringify(expected)}` };
  },
});
