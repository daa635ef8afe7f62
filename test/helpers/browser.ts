// Debian's Chromium driven by playwright-core (never a downloaded browser). Without it the browser
// tests skip, saying why, unless RAMPART_REQUIRE_BROWSER is set (CI installs Chromium and sets it).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env['RAMPART_REQUIRE_BROWSER']) throw new Error(`${CHROMIUM} is missing and RAMPART_REQUIRE_BROWSER is set`);
  return `${CHROMIUM} is not installed (apt-get install -y chromium)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Where tests leave screenshots (git-ignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(join(ARTIFACTS, 'console'), { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'console', `${name}.png`), fullPage: true });
}

/**
 * Collects what the page logs as errors (and uncaught exceptions): a clean page logs none. Chromium
 * also logs every answer of 400 or more as a failed load; for the console's own API that is a
 * refusal the page shows as such (the tests check it does), so only those are left out.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    const refusal = m.text().startsWith('Failed to load resource') && new URL(m.location().url).pathname.startsWith('/api/');
    if (m.type() === 'error' && !refusal) errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
