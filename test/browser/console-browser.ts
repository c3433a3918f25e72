/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../..');
/** Debian's Chromium: .ci/run installs it (apt-get install chromium fonts-noto-cjk); nothing is downloaded here. */
export const CHROMIUM = '/usr/bin/chromium';
/** Where the browser tests leave a screenshot of each screen they visit (git-ignored; see the README). */
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'console');

/** Builds the console from the sources under test (about 2 s), so the browser never sees a stale dist/console. */
export function buildConsole(): void {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-console.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the console did not build:\n${build.stdout}${build.stderr}`);
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`The console's browser tests need Debian's Chromium at ${CHROMIUM}: apt-get update && apt-get install -y chromium fonts-noto-cjk (.ci/run installs it when missing).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A/AA), in one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Everything of a page a person or another script could read: its text, its form values, and its storage. */
export async function readableContent(page: Page): Promise<string> {
  return page.evaluate(() => {
    const storage = (s: Storage) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i)!)}`).join('\n');
    const fields = Array.from(document.querySelectorAll('input, textarea, select'), (el) => (el as HTMLInputElement).value).join('\n');
    return [document.documentElement.innerText, document.title, fields, storage(localStorage), storage(sessionStorage), document.cookie].join('\n');
  });
}

/** Each screen: no serious accessibility finding once it has settled, and a screenshot for the README's folder. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect({ screen: name, violations: await seriousViolations(page) }).toEqual({ screen: name, violations: [] });
  await screenshot(page, name);
}

/** Signs in from the demo page by clicking the login; where it lands depends on who signs in. */
export async function signInAs(page: Page, base: string, displayName: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/sign-in$/);
  await page.getByRole('button', { name: `${displayName} でサインイン` }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Moves the focus with Tab, as a keyboard user would, until it is on the control whose accessible text
 * starts with `name` (at most `max` presses), then presses Enter: proves the control is reachable and
 * usable without a mouse.
 */
export async function tabToAndPress(page: Page, name: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute('aria-label') ?? el.innerText ?? '').trim() : '';
    });
    if (focused.startsWith(name)) return page.keyboard.press('Enter');
  }
  throw new Error(`${name}: not reached with ${max} presses of Tab`);
}
