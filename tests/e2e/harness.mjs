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

// A 1280×800 Danish page (page errors reported through `check`). With `system`, the dev-login cookie of that
// connected system is set for `base`; `timezoneId` as playwright's context option.
export async function openPage(webDir, check, { base, system, timezoneId } = {}) {
  const { chromium } = createRequire(resolve(webDir, 'package.json'))('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'da-DK', ...(timezoneId ? { timezoneId } : {}) });
  if (system) await context.addCookies([{ name: 'dfdg_dev_system', value: system, url: base }]);
  const page = await context.newPage();
  page.on('pageerror', (e) => check(false, `page error: ${e.message}`));
  return { browser, context, page };
}
