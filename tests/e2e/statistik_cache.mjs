// End-to-end test of the statistics page's English labels and of what makes it load fast (docs/statistics.md,
// docs/performance.md "Pages"), in Debian's chromium driven by playwright-core.
// Usage: node statistik_cache.mjs BASE_URL WEB_PACKAGE_DIR OUT_DIR
// Checks: `?lang=en` shows the labels of web/src/labels.json in English (Danish stays the default), the switch
// keeps the selection in the URL, the table's numbers still equal the API's; the script is sent gzip-compressed
// and every asset and /v3 answer carries an ETag that answers 304 when sent back; a reload revalidates.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { get } from 'node:http';
import { checker, openPage } from './harness.mjs';

const [base, webDir, outDir] = process.argv.slice(2);
const labels = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../web/src/labels.json'), 'utf8'));
const { check, finish } = checker();

const { browser, page } = await openPage(webDir, check, {});
// A GET as sent, without decompression: {status, headers, body: Buffer}.
const rawGet = (path, headers) => new Promise((ok, fail) => {
  get(`${base}${path}`, { headers }, (r) => {
    const parts = [];
    r.on('data', (c) => parts.push(c));
    r.on('end', () => ok({ status: r.statusCode, headers: r.headers, body: Buffer.concat(parts) }));
  }).on('error', fail);
});
const loaded = (p) => p.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 15000 });

// 1. Danish by default; the link to English keeps the selection.
await page.goto(`${base}/statistik?maal=m2&omraade=land%2CK101`);
await loaded(page);
check(await page.getAttribute('html', 'lang') === 'da', 'Danish by default');
check(await page.textContent('h1') === labels.title.da, 'Danish title');
check(await page.textContent('#sprog') === 'English', 'link to English');
await page.click('#sprog');
await loaded(page);
const url = new URL(page.url());
check(url.searchParams.get('lang') === 'en' && url.searchParams.get('maal') === 'm2' &&
  url.searchParams.get('omraade') === 'land,K101', `English keeps the selection: ${page.url()}`);

// 2. English: the labels of labels.json, English month names and number formats, the same numbers as the API.
check(await page.getAttribute('html', 'lang') === 'en', 'html lang=en');
check(await page.textContent('h1') === labels.title.en, 'English title');
for (const key of ['maal', 'visning', 'fra', 'til', 'omraade', 'gruppe', 'varighed', 'eksport', 'xlsx', 'tabel']) {
  const text = await page.$eval(`[data-t="${key}"]`, (e) => e.textContent);
  check(text === labels[key].en, `${key}: ${text} vs ${labels[key].en}`);
}
check(await page.$eval('#maal', (s) => s.selectedOptions[0].textContent) === labels['measure.m2'].en, 'measure name in English');
check(await page.$eval('#gruppe', (s) => s.selectedOptions[0].textContent) === labels['group.alle'].en, 'group name in English');
check((await page.textContent('#status')).startsWith('Showing'), 'status in English');
check((await page.textContent('#diskretion')).startsWith(labels.diskretionering.en), 'suppression rule in English');
const headers = await page.$$eval('#tabel thead th', (ths) => ths.map((th) => th.textContent));
check(headers[0] === 'Month' && headers[1] === 'Area', `English table headers ${headers}`);
const api = await (await page.request.get(`${base}/v3/data/jobsamtaler?period.M=latest:12&area=land,K101&measure=m2`)).json();
const rows = await page.$$eval('#tabel tbody tr', (trs) => trs.map((tr) => ({ first: tr.cells[0].textContent,
  area: tr.cells[1].textContent,
  value: tr.cells[2].dataset.value, text: tr.cells[2].textContent })));
check(rows.length === api.data.length, `English table rows ${rows.length} vs ${api.data.length}`);
const en = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const nfEn = new Intl.NumberFormat('en-GB');
api.data.forEach((d, i) => {
  const r = rows[i] || {};
  const p = d.period;
  check(r.first === en.format(new Date(Date.UTC(+p.slice(0, 4), +p.slice(5, 7) - 1, 1))), `English month ${r.first}`);
  check(r.value === (d.m2 === null ? '' : String(d.m2)), `row ${i} value ${r.value} vs ${d.m2}`);
  check(r.area === (d.area === 'land' ? labels.hele_landet.en : d.area_name), `row ${i} area ${r.area}`);
  check(r.text === (d.m2 === null ? '..' : nfEn.format(d.m2)), `row ${i} English number ${r.text}`);
});
await page.screenshot({ path: join(outDir, 'statistik-en.png') });
// Back to Danish.
await page.click('#sprog');
await loaded(page);
check(await page.getAttribute('html', 'lang') === 'da' && !new URL(page.url()).searchParams.has('lang'), 'back to Danish');

// 3. Validators and compression: the script gzip-compressed, ETags, 304 on If-None-Match.
const gz = await rawGet('/statistik/app.js', { 'Accept-Encoding': 'gzip, deflate, br' });
check(gz.headers['content-encoding'] === 'gzip', `app.js gzip: ${gz.headers['content-encoding']}`);
const plain = await rawGet('/statistik/app.js', { 'Accept-Encoding': 'identity' });
check(!plain.headers['content-encoding'], 'identity: not compressed');
check(gz.body.length < plain.body.length / 2, `gzip smaller: ${gz.body.length} vs ${plain.body.length}`);
check(gunzipSync(gz.body).equals(plain.body), 'the gzip file is the script');
for (const path of ['/statistik', '/statistik/app.js', '/statistik/app.css', '/v3/table/jobsamtaler',
  '/v3/data/jobsamtaler?period.M=latest:12&area=land']) {
  const first = await rawGet(path, { 'Accept-Encoding': 'identity' });
  const etag = first.headers.etag;
  check(first.status === 200 && etag && first.headers['cache-control'] === 'no-cache', `${path}: ETag ${etag}`);
  const again = await rawGet(path, { 'If-None-Match': etag, 'Accept-Encoding': 'identity' });
  check(again.status === 304 && again.body.length === 0, `${path}: 304 on If-None-Match, got ${again.status}`);
  const other = await rawGet(path, { 'If-None-Match': '"other"', 'Accept-Encoding': 'identity' });
  check(other.status === 200 && other.body.equals(first.body), `${path}: 200 for another ETag`);
}
// A reload in the browser revalidates: the script comes back as 304; the table metadata is revalidated too (a
// fetch() shows the cached answer as 200, so Resource Timing tells: only the 304's headers crossed the wire).
const statuses = [];
page.on('response', (r) => statuses.push([new URL(r.url()).pathname, r.status()]));
await page.reload();
await loaded(page);
check(statuses.some(([p, s]) => p === '/statistik/app.js' && s === 304), `reload: app.js 304 (${JSON.stringify(statuses)})`);
const sizes = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/v3/table/'))
  .map((e) => ({ transfer: e.transferSize, body: e.encodedBodySize })));
check(sizes.length > 0 && sizes.every((e) => e.body > 0 && e.transfer < e.body), `reload: /v3/table revalidated ${JSON.stringify(sizes)}`);
check((await page.$$('#tabel tbody tr')).length > 0, 'reloaded page shows its table');

await browser.close();
finish();
console.log('statistik labels/cache e2e: all checks passed');
