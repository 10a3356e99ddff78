// Page-load benchmark (docs/performance.md "Pages"): time to first render of /statistik (a national month of
// stored results) and /tidslinje (the timeline demo person), and the latency of the API calls each page makes, in
// Debian's chromium driven by playwright-core. Usage: node pages_bench.mjs BASE_URL WEB_PACKAGE_DIR RUNS [COMPARE_URL]
// COMPARE_URL: a second server over the same stored results serving other page files (pages_bench.sh
// COMPARE_WEB=DIR); /statistik is then loaded from both, alternating run by run so that both see the same load.
// Prints one JSON object. "First render" = from navigation start until the page has drawn its first answer
// (document.body.dataset.loaded is set after the table and the chart, or the timeline, are in the DOM).
// "Breakdown" = where the first render of /statistik spends its time, from the page's own Resource Timing (ms
// after navigation start, medians): the HTML, the script, the table metadata, the data, the drawn page; "repeat
// visit" = a reload in the same browser context (the files and answers revalidated with ETag → 304).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const [base, webDir, runsText, compareBase] = process.argv.slice(2);
const runs = Number(runsText || 20);
const { chromium } = createRequire(resolve(webDir, 'package.json'))('playwright-core');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { runs: s.length, median_ms: +q(0.5).toFixed(1), p95_ms: +q(0.95).toFixed(1), max_ms: +s[s.length - 1].toFixed(1) };
};

// Where the time of a first render of `url` goes (Resource Timing inside the page), and a repeat visit.
async function breakdown(url) {
  const parts = {}, repeat = [];
  for (let i = 0; i < runs; i++) await breakdownRun(url, parts, repeat);
  return summary(parts, repeat);
}

function summary(parts, repeat) {
  return { ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, stats(v).median_ms])), repeat_visit: stats(repeat) };
}

// The same for two servers, alternating run by run.
async function compare(urlA, urlB) {
  const a = { parts: {}, repeat: [] }, b = { parts: {}, repeat: [] };
  for (let i = 0; i < runs; i++) {
    await breakdownRun(urlA, a.parts, a.repeat);
    await breakdownRun(urlB, b.parts, b.repeat);
  }
  return { these_pages: summary(a.parts, a.repeat), compared_pages: summary(b.parts, b.repeat) };
}

async function breakdownRun(url, parts, repeat) {
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'da-DK' });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 30000 });
    const t = await page.evaluate(() => {
      const end = (pred) => Math.max(0, ...performance.getEntriesByType('resource').filter((e) => pred(e.name)).map((e) => e.responseEnd));
      const nav = performance.getEntriesByType('navigation')[0];
      return { html: nav.responseEnd, script: end((n) => n.endsWith('/app.js')), css: end((n) => n.endsWith('/app.css')),
        meta: end((n) => n.includes('/v3/table/')), data: end((n) => n.includes('/v3/data/')),
        drawn: Number(document.body.dataset.loaded) - performance.timeOrigin,
        script_bytes: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/app.js')).map((e) => e.transferSize)[0] };
    });
    for (const [k, v] of Object.entries(t)) (parts[k] = parts[k] || []).push(v);
    const t0 = Date.now();
    await page.evaluate(() => { delete document.body.dataset.loaded; });
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 30000 });
    repeat.push(Date.now() - t0);
    await context.close();
  }
}

async function firstRender(url, system, fill) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'da-DK' });
    if (system) await context.addCookies([{ name: 'dfdg_dev_system', value: system, url: base }]);
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(url);
    if (fill) await fill(page);
    await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 30000 });
    times.push(Date.now() - t0);
    await context.close();
  }
  return stats(times);
}

// Latency of single API requests from the browser's context (keep-alive, as the page makes them).
async function latency(paths, headers) {
  const context = await browser.newContext();
  const times = {};
  for (const path of paths) {
    times[path] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = await context.request.get(`${base}${path}`, { headers });
      await r.body();
      if (!r.ok()) throw new Error(`${path}: ${r.status()}`);
      times[path].push(performance.now() - t0);
    }
  }
  await context.close();
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
}

const meta = await (await (await browser.newContext()).request.get(`${base}/v3/table/jobsamtaler`)).json();
const periods = meta.period_types[0].periods;
const last = periods[periods.length - 1];
const result = {
  statistik_first_render: await firstRender(`${base}/statistik`),
  statistik_breakdown: compareBase ? await compare(`${base}/statistik`, `${compareBase}/statistik`)
    : await breakdown(`${base}/statistik`),
  statistik_kommuner_first_render: await firstRender(`${base}/statistik?visning=kommuner&til=${last}`),
  tidslinje_first_render: await firstRender(`${base}/tidslinje`, 'sandbox-jobcenter-101', async (page) => {
    await page.fill('#cpr', '0304851234');
    await page.fill('#dato', '2026-05-10');
    await page.click('#vis');
  }),
  api_statistik: await latency([`/v3/table/jobsamtaler`,
    `/v3/data/jobsamtaler?period.M=latest:12&area=land&ydelsesgruppe=alle&varighed=i_alt&measure=m4`,
    `/v3/data/jobsamtaler?period.M=${last}&area=kommuner&ydelsesgruppe=alle&varighed=i_alt&measure=m4`]),
  api_tidslinje: await latency(['/v1/status?dato=2026-05-10', '/v1/Fravaer?berigtigede=med', '/v1/Registreringer',
    '/v1/katalog'], { 'x-dev-system': 'sandbox-jobcenter-101', 'x-civilRegistrationIdentifier': '0304851234' }),
};
await browser.close();
console.log(JSON.stringify(result, null, 1));
