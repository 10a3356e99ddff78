// End-to-end test of the statistics page in a real headless browser: Debian's chromium driven by
// playwright-core (web/node_modules; no browser download). Usage: node statistik.mjs BASE_URL WEB_PACKAGE_DIR OUT_DIR
// Checks that the table shows the numbers the API returns, that filters, the URL, the CSV export and the
// keyboard work, and writes a screenshot (OUT_DIR/statistik.png).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checker, launchBrowser, newPage, worstContrast } from './harness.mjs';

const [base, webDir, outDir] = process.argv.slice(2);
const nf = new Intl.NumberFormat('da-DK');
const pf = new Intl.NumberFormat('da-DK', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const mf = new Intl.DateTimeFormat('da-DK', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthLabel = (p) => mf.format(new Date(Date.UTC(+p.slice(0, 4), +p.slice(5, 7) - 1, 1)));
const fmt = (m, v) => (v === null ? '..' : m === 'm4' ? pf.format(v) : nf.format(v));
const { check, finish } = checker();
const browser = await launchBrowser(webDir);
const page = await newPage(browser, check, { acceptDownloads: true });
const context = page.context();

async function loaded(action) {
  const before = await page.evaluate(() => document.body.dataset.loaded || '');
  await action();
  await page.waitForFunction((b) => (document.body.dataset.loaded || '') !== b, before, { timeout: 15000 });
}

// Navigation: a new document, so wait until its first answer is shown.
async function navigate(p, target) {
  await p.goto(target);
  await p.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 15000 });
}

async function api(query) {
  const r = await page.request.get(`${base}/v3/data/jobsamtaler?${query}`);
  check(r.ok(), `api ${query}`);
  return (await r.json()).data;
}

// The table's rows as [label cells..., value text, data-value].
async function tableRows() {
  return page.$$eval('#tabel tbody tr', (trs) => trs.map((tr) => ({
    cells: [...tr.cells].map((c) => c.textContent), value: tr.cells[tr.cells.length - 1].dataset.value,
    area: tr.dataset.area, period: tr.dataset.period })));
}

async function compareLine(measure, query, what) {
  const data = await api(query);
  const rows = await tableRows();
  check(rows.length === data.length && data.length > 0, `${what}: ${rows.length} rows, api ${data.length}`);
  data.forEach((d, i) => {
    const r = rows[i] || { cells: [] };
    check(r.period === d.period && r.area === d.area, `${what} row ${i} key`);
    check(r.cells[0] === monthLabel(d.period) && r.cells[1] === d.area_name, `${what} row ${i} labels ${r.cells}`);
    check(r.cells[2] === fmt(measure, d[measure]), `${what} row ${i}: shown ${r.cells[2]}, api ${fmt(measure, d[measure])}`);
    check(r.value === (d[measure] === null ? '' : String(d[measure])), `${what} row ${i} value`);
  });
  return data;
}

// 1. Defaults: measure 4, the latest 12 months, the whole country.
await navigate(page, `${base}/statistik`);
const meta = await (await page.request.get(`${base}/v3/table/jobsamtaler`)).json();
const periods = meta.period_types[0].periods;
const last = periods[periods.length - 1];
const first = periods[periods.length - 12];
check(await page.inputValue('#maal') === 'm4', 'default measure');
check(await page.$eval('#status', (e) => e.textContent.startsWith('Viser')), 'status after load');
await compareLine('m4', `period.M=${first}:${last}&area=land&ydelsesgruppe=alle&varighed=i_alt&measure=m4`, 'default');
check(await page.$$eval('#graf canvas', (c) => c.length) === 1, 'a chart is drawn');

// 2. Change filters: measure 2, a-dagpenge, København and Aarhus, a shorter range.
await loaded(() => page.selectOption('#maal', 'm2'));
await loaded(() => page.selectOption('#gruppe', 'a_dagpenge'));
await loaded(() => page.selectOption('#omraade', ['K101', 'K751']));
await loaded(() => page.selectOption('#fra', periods[periods.length - 6]));
const query2 = `period.M=${periods[periods.length - 6]}:${last}&area=K101,K751&ydelsesgruppe=a_dagpenge&varighed=i_alt&measure=m2`;
const data2 = await compareLine('m2', query2, 'filtered');
check(data2.length === 12, 'six months × two municipalities');
const legend = await page.$$eval('.u-legend .u-label', (ls) => ls.map((l) => l.textContent));
check(legend.includes('København') && legend.includes('Aarhus'), `chart legend ${legend}`);
const url = page.url();
check(url.includes('maal=m2') && url.includes('gruppe=a_dagpenge') && /omraade=(K101%2CK751|K751%2CK101)/.test(url), `URL ${url}`);

// 3. The URL holds the selection: a new page on it shows the same.
const shared = await context.newPage();
await shared.goto(url);
await shared.waitForFunction(() => document.body.dataset.loaded);
check(await shared.inputValue('#maal') === 'm2' && await shared.inputValue('#gruppe') === 'a_dagpenge', 'shared selection');
const sharedCells = await shared.$$eval('#tabel tbody td.tal', (tds) => tds.map((t) => t.textContent));
const ownCells = await page.$$eval('#tabel tbody td.tal', (tds) => tds.map((t) => t.textContent));
check(JSON.stringify(sharedCells) === JSON.stringify(ownCells), 'shared page shows the same numbers');
await shared.close();

// 4. Bars per municipality for one month, highest first; then export CSV and read it back.
await loaded(() => page.selectOption('#maal', 'm4'));
await loaded(() => page.selectOption('#gruppe', 'alle'));
await loaded(() => page.selectOption('#visning', 'kommuner'));
const bars = await api(`period.M=${last}&area=kommuner&ydelsesgruppe=alle&varighed=i_alt&measure=m4`);
const barRows = await tableRows();
check(barRows.length === bars.length && bars.length >= 98, `bars rows ${barRows.length}`);
const byArea = Object.fromEntries(bars.map((d) => [d.area, d]));
for (const r of barRows) {
  const d = byArea[r.area];
  check(d && r.cells[0] === d.area_name && r.cells[2] === fmt('m4', d.m4), `bar row ${r.cells}`);
}
const values = barRows.map((r) => (r.value === '' ? -1 : Number(r.value)));
check(values.every((v, i) => i === 0 || values[i - 1] >= v), 'municipalities ranked, highest first');
const [download] = await Promise.all([page.waitForEvent('download'), page.click('#eksport')]);
const csvText = readFileSync(await download.path(), 'utf8');
check(csvText.charCodeAt(0) === 0xfeff, 'CSV starts with a BOM (Excel)');
const lines = csvText.slice(1).trim().split('\r\n').map((l) => l.split(';'));
check(lines[0][0] === 'Kommune' && lines[0][1] === 'Måned', `CSV header ${lines[0]}`);
check(lines.length - 1 === barRows.length, 'CSV has the rows shown');
for (const [i, l] of lines.slice(1).entries()) {
  const d = byArea[barRows[i].area];
  const want = d.m4 === null ? '..' : d.m4.toFixed(4).replace('.', ',');
  check(l[0].replace(/^"|"$/g, '') === d.area_name && l[2] === want, `CSV row ${i}: ${l} vs ${want}`);
}
await page.screenshot({ path: join(outDir, 'statistik-kommuner.png') });
const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.click('#xlsx')]);
const xlsxBytes = readFileSync(await xlsxDownload.path());
check(xlsxBytes.subarray(0, 2).toString() === 'PK' && xlsxBytes.length > 2000, 'XLSX download is a workbook');
check(xlsxDownload.suggestedFilename() === `jobsamtaler-${last}.xlsx`, `XLSX name ${xlsxDownload.suggestedFilename()}`);

// 4b. Skærpet tilsyn: municipalities ranked by the 12-month average of measure 4, the country as reference.
await loaded(() => page.selectOption('#visning', 'tilsyn'));
const tilsynApi = await (await page.request.get(`${base}/v3/data/skaerpet_tilsyn?period.M=${last}&area=land,kommuner`)).json();
const tilsynByArea = Object.fromEntries(tilsynApi.data.map((d) => [d.area, d]));
const tilsynRows = await tableRows();
check(tilsynRows.length === tilsynApi.data.length - 1, `tilsyn rows ${tilsynRows.length}`);
for (const r of tilsynRows) {
  const d = tilsynByArea[r.area];
  check(d && r.cells[2] === fmt('m4', d.m4_gennemsnit_12_maaneder), `tilsyn row ${r.cells}`);
}
const tv = tilsynRows.map((r) => (r.value === '' ? -1 : Number(r.value)));
check(tv.every((v, i) => i === 0 || tv[i - 1] >= v), 'tilsyn ranked, highest first');
check(await page.isDisabled('#maal') && await page.isDisabled('#gruppe'), 'measure and group do not apply to tilsyn');
check((await page.textContent('#grafnote')).includes(fmt('m4', tilsynByArea.land.m4_gennemsnit_12_maaneder)),
  'the country is marked as reference');
await page.screenshot({ path: join(outDir, 'statistik-tilsyn.png') });
await loaded(() => page.selectOption('#visning', 'kommuner'));

// 5. Keyboard only: Tab through the controls in order, change the measure with the arrow keys, export with Enter.
const kb = await context.newPage();
await kb.goto(`${base}/statistik`);
await kb.waitForFunction(() => document.body.dataset.loaded);
const order = [];
for (let i = 0; i < 11; i++) {
  await kb.keyboard.press('Tab');
  order.push(await kb.evaluate(() => document.activeElement.id || document.activeElement.className));
}
check(JSON.stringify(order) === JSON.stringify(['skip', 'maal', 'visning', 'fra', 'til', 'omraade', 'gruppe', 'varighed', 'eksport', 'xlsx', 'tabel']),
  `tab order ${order}`);
await kb.focus('#maal');
const before = await kb.evaluate(() => document.body.dataset.loaded);
await kb.keyboard.press('ArrowDown');
await kb.waitForFunction((b) => document.body.dataset.loaded !== b, before, { timeout: 15000 });
check(await kb.inputValue('#maal') === 'm5', `arrow key changes the measure: ${await kb.inputValue('#maal')}`);
await kb.focus('#eksport');
const [kbDownload] = await Promise.all([kb.waitForEvent('download'), kb.keyboard.press('Enter')]);
check(kbDownload.suggestedFilename().startsWith('jobsamtaler-m5-'), `keyboard export ${kbDownload.suggestedFilename()}`);
await kb.close();

// 6. A bad selection in the URL is explained, not hidden.
await navigate(page, `${base}/statistik?fra=${last}&til=${first}`);
check((await page.textContent('#status')).startsWith('Fejl'), 'error shown for from > to');

// Screenshot of the default view at 1280×800.
await navigate(page, `${base}/statistik?omraade=land%2CR1084%2CR1081`);
check((await tableRows()).length === 36, 'three areas × 12 months');
await page.screenshot({ path: join(outDir, 'statistik.png') });
// Colour contrast (WCAG 2.1 AA, 4.5:1 for text) of every visible text element against its background.
const worst = await worstContrast(page, 'h1, h2, p, label, th, td, button, option, select, figcaption, a');
check(worst.ratio >= 4.5, `colour contrast ${worst.ratio.toFixed(2)} < 4.5 at ${worst.what}`);

// Phone width: nothing wider than the screen except the table's own scroll box.
const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'da-DK' });
await navigate(phone, `${base}/statistik`);
const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
check(overflow <= 0, `phone width: the page is ${overflow} px wider than the screen`);
await phone.screenshot({ path: join(outDir, 'statistik-telefon.png'), fullPage: true });
await phone.close();

await browser.close();
finish();
console.log('statistik e2e: all checks passed');
