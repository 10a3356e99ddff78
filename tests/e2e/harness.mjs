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

// The lowest colour contrast (WCAG 2.1 AA asks 4.5:1 for text) of the elements matching `selector` that have text,
// against their background, as {ratio, what}. Disabled elements are skipped; with `visibleOnly`, also elements
// without a box on the page.
export async function worstContrast(page, selector, { visibleOnly = false } = {}) {
  return page.evaluate(([sel, onlyVisible]) => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    let min = { ratio: 99, what: '' };
    for (const el of document.querySelectorAll(sel)) {
      if (!el.textContent.trim() || el.disabled || el.closest(':disabled')) continue;
      if (onlyVisible && !el.getClientRects().length) continue;
      const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < min.ratio) min = { ratio, what: `${el.tagName}.${el.className} ${el.textContent.slice(0, 30)}` };
    }
    return min;
  }, [selector, visibleOnly]);
}
