/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { accountId } from '../../seeds/demo-data';
import { buildConsole, checkScreen, launchChromium, readableContent, SCREENSHOTS, signInAs, tabToAndPress } from '../browser/console-browser';
import { dvMeasureFixture } from '../support/fixtures';
import { importOutcome } from '../support/import-job';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const HEADER = '宛名番号,氏名,氏名カナ,生年月日,性別,住所,電話番号,地区,要介護度,身体障害者手帳,療育手帳,精神障害者保健福祉手帳,難病,独居,世帯状況';
/** 地区A: seven people who consent (two printed pages), 地区B: one. */
const A_NAMES = ['山田 ハナ', '佐藤 ウメ', '鈴木 マツ', '高田 タケ', '中村 トラ', '小川 キク', '松本 フミ'];
const B_NAME = '高橋 花';
const candidates = (birthDateOfFirst: string, districtOfLast: string) =>
  iconv.encode(
    [
      HEADER,
      ...A_NAMES.map((name, i) => `${2001 + i},${name},,${i === 0 ? birthDateOfFirst : `1940-01-0${i + 1}`},女,つなぎ市本町${i + 1}-1,,A,要介護4,,,,無,有,独居`),
      `2100,${B_NAME},,1945-07-07,女,つなぎ市北町1-1,,${districtOfLast},要介護3,,,,無,無,`,
    ].join('\r\n'),
    'Shift_JIS',
  );

/**
 * The auditor's screens (log search with keyset paging, a person's report, chain verification with its
 * progress, anomalies) and the 民生委員's roster as printable A4 pages, in Debian's Chromium. Every
 * screen: 0 serious/critical axe findings, a screenshot, and no DV-protected value in what it shows or stores.
 */
describe('the console for auditors and 民生委員', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const run = `ca${randomBytes(4).toString('hex')}`;
  const protectedValues = { address: `秘匿住所 ${run}-addr 1-2-3`, phone: `090-${run}`, registerAddress: `秘匿名簿住所 ${run}` };
  const seen: string[] = [];
  let motherId: string;

  beforeAll(async () => {
    buildConsole();
    browser = await launchChromium();
    t = await startTestApp({ SEED_DEMO: 'true' });
    base = await t.url();
    // Story 3's household: 長寿課 opens the case of a DV-protected mother; its manager (not her protector) reads it.
    const opened = await t.api('choju-counselor').POST('/api/v1/cases', {
      body: {
        title: `母の世帯 ${run}`,
        issues: ['care', 'dv'],
        persons: [{ relation: '本人', familyName: '保護', givenName: '母子', birthDate: '1944-02-02', sex: 'female', address: protectedValues.address, phone: protectedValues.phone, dvProtected: true }],
      },
    });
    const read = await t.api('choju-manager').GET('/api/v1/cases/{id}', { params: { path: { id: opened.data!.id } } });
    motherId = read.data!.persons[0].id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** 福祉課 sends notices and registers everyone with consent; one more of 地区A, added at a neighbour's request, is under DV protection. */
  async function registerEveryone() {
    const fukushi = t.api('fukushi-counselor');
    const hidden = await t.api('choju-counselor').POST('/api/v1/evacuation-support/entries', {
      body: { source: 'request', person: { familyName: '林', givenName: '秘子', birthDate: '1950-01-01', address: protectedValues.registerAddress }, districtCode: 'A', facts: { careLevel: '要介護3' } },
    });
    const [hayashi] = await t.sql<{ id: string }>(`select person_id id from register_entries where id = $1`, [hidden.data!.id]);
    await dvMeasureFixture(t, hayashi.id, [accountId('choju-counselor')]);
    await fukushi.POST('/api/v1/evacuation-support/notices', { body: {} });
    await fukushi.POST('/api/v1/evacuation-support/notices/actions/mark-mailed');
    const entries = (await fukushi.GET('/api/v1/evacuation-support/entries', { params: { query: { limit: 100 } } })).data!.items;
    for (const entry of entries) {
      const registered = await fukushi.POST('/api/v1/evacuation-support/entries/{id}/actions/{action}', { params: { path: { id: entry.id, action: 'register' } }, body: { version: entry.version, provision: 'consent' } });
      expect(registered.response.status).toBe(200);
    }
  }

  const check = async (page: Page, name: string) => {
    await checkScreen(page, name);
    seen.push(await readableContent(page));
  };

  it('lets 福祉課 import a Shift_JIS candidate list: the row-by-row report, a fixed file confirmed, the job followed until imported', async () => {
    const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
    await signInAs(page, base, '福祉 一郎');
    await page.getByRole('link', { name: '名簿の管理' }).click();
    await page.getByRole('heading', { name: '避難行動要支援者名簿の管理' }).waitFor();
    // A file with two wrong rows: the report names them; nothing is imported until confirmed.
    await page.getByLabel('候補者CSVファイル').setInputFiles({ name: 'candidates.csv', mimeType: 'text/csv', buffer: candidates('2026/02/30', 'Z') });
    await page.getByRole('button', { name: '読み込む' }).click();
    await page.getByRole('status').filter({ hasText: '確認待ち' }).waitFor();
    await expect(page.getByRole('status').filter({ hasText: '確認待ち' }).innerText()).resolves.toContain('全8行、取込可能 6行、エラー 2行（文字コード: シフトJIS）');
    const rejected = page.getByRole('table').filter({ hasText: 'エラーのある行' });
    await expect(rejected.locator('tbody tr td:first-child').allInnerTexts()).resolves.toEqual(['2', '9']);
    await check(page, 'register-import-report');
    await page.getByRole('button', { name: '取り消す' }).click();
    await page.getByRole('status').filter({ hasText: '取消' }).waitFor();
    expect(await t.sql(`select count(*)::int n from register_entries`)).toEqual([{ n: 0 }]);
    // The fixed file, confirmed by keyboard: the job runs in the background, its progress polled until imported.
    await page.getByLabel('候補者CSVファイル').setInputFiles({ name: 'candidates.csv', mimeType: 'text/csv', buffer: candidates('1940-01-01', 'B') });
    await page.getByRole('button', { name: '読み込む' }).click();
    await page.getByRole('status').filter({ hasText: '全8行、取込可能 8行、エラー 0行' }).waitFor();
    await tabToAndPress(page, '8行を取り込む（確定）');
    await page.getByText('8 / 8 件処理、取込 8 件、スキップ 0 件').waitFor();
    await page.getByRole('status').filter({ hasText: '取込済み' }).waitFor();
    await expect(page.locator('#import-progress').evaluate((bar: HTMLProgressElement) => bar.value)).resolves.toBe(8);
    expect(await t.sql(`select district_code, count(*)::int n from register_entries group by 1 order by 1`)).toEqual([
      { district_code: 'A', n: 7 },
      { district_code: 'B', n: 1 },
    ]);
    await check(page, 'register-imported');
    await registerEveryone();
    // The rosters per 地区: 地区A's figures and its people (the DV-protected one's address withheld).
    await page.getByRole('link', { name: '受信した依頼' }).click();
    await page.getByRole('link', { name: '名簿の管理' }).click();
    await page.getByRole('row').filter({ hasText: '地区A' }).filter({ hasText: '8（' }).waitFor();
    await page.getByRole('button', { name: '地区A' }).click();
    const list = page.getByRole('table').filter({ hasText: '山田 ハナ' });
    await list.getByRole('row').filter({ hasText: '林 秘子' }).getByText('非表示（保護対象）').waitFor();
    await check(page, 'register-districts');
    await page.close();
  }, 120_000);

  it('prints the 地区A roster for its 民生委員: A4 pages with 地区A names, the date and basis on each, no 地区B name, nobody under DV protection', async () => {
    const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
    await signInAs(page, base, '民生 委員A');
    await page.getByRole('heading', { name: '避難行動要支援者名簿（地区の名簿）' }).waitFor();
    await page.getByRole('article').first().waitFor();
    await check(page, 'roster');
    await page.emulateMedia({ media: 'print' });
    const sheets = page.getByRole('article');
    await expect(sheets.count()).resolves.toBe(2);
    const printed = await page.evaluate(() => document.body.innerText);
    for (const name of A_NAMES) expect(printed).toContain(name);
    expect(printed).not.toContain(B_NAME);
    expect(printed).not.toContain('林 秘子');
    expect(printed).not.toMatch(/サインアウト|印刷する/); // the menus are not printed
    const [provision] = await t.sql<{ receipt_number: string }>(`select receipt_number from provisions where supporter_id = $1 order by created_at desc limit 1`, [accountId('minsei-a')]);
    const today = new Date().toLocaleDateString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' });
    for (const sheet of await sheets.all()) {
      const text = await sheet.innerText();
      expect(text).toContain(`提供日 ${today}`);
      expect(text).toContain('平常時名簿提供（災害対策基本法49条の11第2項）');
      expect(text).toContain(provision.receipt_number);
    }
    // Chromium's own print: an A4 PDF of exactly those pages.
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync(path.join(SCREENSHOTS, 'roster.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(2);
    seen.push(await readableContent(page));
    await page.close();
  }, 120_000);

  it('lets the auditor find who saw the mother’s record and verify the chain', async () => {
    const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
    await signInAs(page, base, '監査 花子');
    await page.getByRole('heading', { name: '監査ログの検索' }).waitFor();
    const seqs = async () => (await page.locator('tbody tr td:first-child').allInnerTexts()).map(Number);
    await page.getByText('1 ページ目（新しい順）').waitFor();
    const first = await seqs();
    expect(first).toHaveLength(20);
    await check(page, 'audit-search');
    // Keyset paging: 次へ shows the next older twenty, none of the first page's.
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByText('2 ページ目（新しい順）').waitFor();
    const second = await seqs();
    expect(Math.max(...second)).toBeLessThan(Math.min(...first));
    // Filtered by the mother and today: her reads, with their actions.
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel('本人（個人ID）').fill(motherId);
    await page.getByLabel('期間（開始日）').fill(today);
    await page.getByLabel('期間（終了日）').fill(today);
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.getByText('1 ページ目（新しい順）').waitFor();
    const searched = (await t.api('auditor').GET('/api/v1/audit/entries', { params: { query: { personId: motherId, from: today, to: today } } })).data!.items;
    expect(searched.length).toBeGreaterThan(0);
    expect(await seqs()).toEqual(searched.map((e) => e.id).slice(0, 20));

    expect(new URL(page.url()).searchParams.get('personId')).toBe(motherId);
    // From a row to her report: 長寿課's manager read her record (and was refused her contacts), on which basis.
    await page.getByRole('link', { name: `${motherId} の本人ごとの報告` }).first().click();
    await page.getByRole('heading', { name: '閲覧・操作の記録' }).waitFor();
    const byManager = page.getByRole('row').filter({ hasText: '長寿 課長' });
    await expect(byManager.allInnerTexts()).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/ケースの閲覧.*許可/), expect.stringMatching(/連絡先の閲覧.*拒否/)]));
    await check(page, 'audit-person');

    // The chain: started by keyboard, its progress bar polled until the verification is done.
    await page.getByRole('link', { name: 'チェーン検証・兆候' }).click();
    await page.getByRole('heading', { name: '確認すべき兆候（過去30日）' }).waitFor();
    await tabToAndPress(page, 'チェーンを検証する');
    await page.getByRole('status').filter({ hasText: '改ざんなし' }).waitFor();
    await expect(page.locator('#verification-progress').evaluate((bar: HTMLProgressElement) => bar.value)).resolves.toBe(100);
    const [verification] = (await t.api('auditor').GET('/api/v1/audit/verifications')).data!.items;
    expect(verification).toMatchObject({ state: 'ok', progress: 100 });
    await expect(page.getByRole('status').filter({ hasText: '改ざんなし' }).innerText()).resolves.toContain(`${verification.checked} / ${verification.total} 件`);
    // Among the anomalies: the manager's attempt on her DV-protected contacts; its actor links to their log.
    const manager = accountId('choju-manager');
    const attempt = page.getByRole('row').filter({ hasText: 'DV 保護対象の連絡先への試み' }).filter({ hasText: manager });
    await check(page, 'audit-chain');
    await attempt.getByRole('link').click();
    await page.getByText('1 ページ目（新しい順）').waitFor();
    await expect(page.getByLabel('操作した職員のID').inputValue()).resolves.toBe(manager);
    await page.close();
  }, 120_000);

  it('shows no DV-protected value on any of these screens or in their storage', () => {
    expect(seen.length).toBeGreaterThanOrEqual(4);
    const everything = seen.join('\n');
    for (const [field, value] of Object.entries(protectedValues)) expect({ field, leaked: everything.includes(value) }).toEqual({ field, leaked: false });
  });
});
