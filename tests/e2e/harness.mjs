// Shared set-up of the browser tests started by pages_e2e_test.py and e2e_test.py: a checker that counts failures
// and a page in Debian's headless chromium (playwright-core from WEB_PACKAGE_DIR, no browser download).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

// check(cond, what) prints "FAIL: what" and counts it; finish() exits with 1 when anything failed.
export function checker() {
  let failures = 0;
  return {
    check(cond, what) {
      if (!cond) { failures++; console.log('FAIL:', what); }
    },
    finish() {
      if (failures) {
        console.log(`${failures} failure(s)`);
        process.exit(1);
      }
    },
  };
}

// Debian's headless chromium through playwright-core from `webDir` (its package.json), no browser download.
export async function launchBrowser(webDir) {
  const { chromium } = createRequire(resolve(webDir, 'package.json'))('playwright-core');
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
}

// A Danish page in a new context of `browser` (page errors reported through `check`). With `system`, the dev-login
// cookie of that connected system is set for `base`; `viewport` defaults to 1280×800; `timezoneId` and
// `acceptDownloads` as playwright's context options.
export async function newPage(browser, check, { base, system, viewport, timezoneId, acceptDownloads } = {}) {
  const context = await browser.newContext({
    viewport: viewport || { width: 1280, height: 800 },
    locale: 'da-DK',
    ...(timezoneId ? { timezoneId } : {}),
    ...(acceptDownloads ? { acceptDownloads } : {}),
  });
  if (system) await context.addCookies([{ name: 'dfdg_dev_system', value: system, url: base }]);
  const page = await context.newPage();
  page.on('pageerror', (e) => check(false, `page error: ${e.message}`));
  return page;
}

// A browser and one page in it (see newPage for the options).
export async function openPage(webDir, check, options = {}) {
  const browser = await launchBrowser(webDir);
  const page = await newPage(browser, check, options);
  return { browser, context: page.context(), page };
}
