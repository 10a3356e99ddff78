// End-to-end test of the timeline's "Måling" section (/tidslinje, docs/pages.md) in Debian's headless chromium
// (playwright-core): the demo person's measurement input is examples/timeline-demo-measure (served with
// `dfdg serve --measure-input`). Usage: node maaling.mjs BASE_URL WEB_PACKAGE_DIR OUT_DIR EXPECTED_DIR
// EXPECTED_DIR holds `dfdg measure explain` texts (maaling-YYYY-MM.txt) written by pages_e2e_test.py: the section
// must show the same verdict, facts and interviews as the API answer and the command line. Keyboard only. Then
// the timeline in English (?lang=en).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, openPage } from './harness.mjs';

const [base, webDir, outDir, expectedDir] = process.argv.slice(2);
const CPR = '0304851234';
const { check, finish } = checker();

const { browser, page } = await openPage(webDir, check, { base, system: 'sandbox-jobcenter-101', timezoneId: 'Europe/Copenhagen' });

await page.goto(`${base}/tidslinje`);
await page.fill('#cpr', CPR);
await page.fill('#dato', '2026-07-15');
await page.click('#vis');
await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 15000 });

// The section's facts as {term: value} and its interview rows.
async function shown() {
  return page.evaluate(() => {
    const dl = document.querySelector('#maalingsvar');
    if (!dl || dl.tagName !== 'DL') return { text: dl ? dl.textContent : '' };
    const facts = {};
    for (const dt of dl.querySelectorAll('dt')) facts[dt.textContent] = dt.nextElementSibling.textContent;
    const rows = [...document.querySelectorAll('#maalingindhold table tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent));
    const pre = document.querySelector('#maalingindhold pre');
    return { facts, rows, pre: pre ? pre.textContent : '' };
  });
}

// Types the month and presses Enter in the field (the form's submit); the previous answer is cleared first so
// the new one is awaited.
async function explainByKeyboard(month) {
  await page.evaluate(() => document.getElementById('maalingindhold').replaceChildren());
  await page.focus('#maaned');
  await page.fill('#maaned', month);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#maalingsvar'), null, { timeout: 15000 });
  return shown();
}

for (const month of ['2026-03', '2026-07', '2026-12']) {
  const s = await explainByKeyboard(month);
  const r = await page.request.get(`${base}/v1/Maaling/forklaring?maaned=${month}`,
    { headers: { 'x-dev-system': 'sandbox-jobcenter-101', 'x-civilRegistrationIdentifier': CPR } });
  check(r.ok(), `${month}: API ${r.status()}`);
  const m = await r.json();
  const cli = readFileSync(join(expectedDir, `maaling-${month}.txt`), 'utf8');
  check(s.facts && s.facts['I målingen'] === (m.i_maalingen ? 'ja' : 'nej'), `${month}: I målingen ${JSON.stringify(s.facts)}`);
  check(s.facts['Udfald'] === `${m.udfald}: ${m.begrundelse}`, `${month}: Udfald ${s.facts['Udfald']}`);
  check(cli.includes(`Udfald: ${m.udfald}`), `${month}: the command line says ${m.udfald} too`);
  check(s.facts['Ydelsesgruppe'] === m.ydelsesgruppe, `${month}: Ydelsesgruppe ${s.facts['Ydelsesgruppe']}`);
  check(s.facts['Talte samtaler'] === String(m.samtaler_talt) && cli.includes(`Talte samtaler: ${m.samtaler_talt}`),
    `${month}: Talte samtaler ${s.facts['Talte samtaler']}`);
  check(s.rows.length === (m.samtaler || []).length && s.rows.length > 0, `${month}: ${s.rows.length} interviews shown`);
  for (const [i, row] of s.rows.entries()) {
    check(row[0] === m.samtaler[i].dato && cli.includes(row[0]), `${month}: interview ${i} date ${row[0]}`);
  }
  check(s.pre.trim() === cli.trim(), `${month}: the text equals dfdg measure explain`);
}
// The exemption share of July (the sick leave 4 May – 14 June, 42 days) as the command line computed it.
const july = await explainByKeyboard('2026-07');
check(july.facts['Fritagelse'].startsWith('42 dage = 20,1 %'), `July exemption: ${july.facts['Fritagelse']}`);
await page.screenshot({ path: join(outDir, 'tidslinje-maaling.png'), fullPage: true });

// A month before the person's first benefit: not measured, said so.
const before = await explainByKeyboard('2025-11');
check(before.facts && before.facts['I målingen'] === 'nej', `2025-11: not measured ${JSON.stringify(before)}`);

// The timeline in English (?lang=en; labels of web/src/labels.json): the page's own texts and the Måling section.
const labels = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../web/src/labels.json'), 'utf8'));
await page.goto(`${base}/tidslinje?lang=en`);
check(await page.getAttribute('html', 'lang') === 'en' && await page.textContent('h1') === labels['tl.h1'].en, 'English timeline');
await page.fill('#cpr', CPR);
await page.fill('#dato', '2026-07-15');
await page.click('#vis');
await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 15000 });
check((await page.textContent('#status')).startsWith('Showing'), `English status: ${await page.textContent('#status')}`);
check(await page.$eval('[data-t="tl.col.pligt"]', (e) => e.textContent) === 'Obligation', 'English obligations header');
const states = await page.$$eval('#pligter tbody tr[data-key] td:nth-of-type(1)', (tds) => tds.map((td) => td.textContent));
check(states.length > 0 && states.every((x) => x === 'Applies' || x === 'Lifted'), `English states: ${states}`);
const en = await explainByKeyboard('2026-07');
check(en.facts && en.facts['In the measurement'] === 'yes' && en.facts['Counted interviews'] === '2' &&
  en.facts['Exemption'].startsWith('42 days = 20.1 %'), `English Måling: ${JSON.stringify(en.facts)}`);
await Promise.all([page.waitForURL((u) => !u.searchParams.has('lang')), page.click('#sprog')]);
await page.waitForLoadState('load');
check(await page.getAttribute('html', 'lang') === 'da' && await page.textContent('h1') === labels['tl.h1'].da, 'back to Danish');

await browser.close();
finish();
console.log('maaling e2e: all checks passed');
