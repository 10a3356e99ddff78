// End-to-end test of the immediate computation's deep link on the citizen's page (/minside; seed 000 §§ 85-86,
// docs/decisions/0031) in Debian's headless chromium (playwright-core): a-kasse 10 (its `immediate_computation_link`
// in the serve configuration) reports a member's intake and placement through the batch; the member, in no contact
// group (not consuming the right), sees the link under "Fra din a-kasse"; a member of a-kasse 11 (no link
// configured) and a graduate (no counters on Jobnet) see none; the link's text in English (?lang=en).
// Usage: node minside_straks.mjs BASE_URL WEB_PACKAGE_DIR OUT_DIR LINK
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, openPage } from './harness.mjs';

const [base, webDir, outDir, link] = process.argv.slice(2);
const { check, finish } = checker();
const labels = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../web/src/labels.json'), 'utf8'));
const { browser, page } = await openPage(webDir, check, { base, system: 'jobnet', timezoneId: 'Europe/Copenhagen' });

async function report(akasse, cpr, basis) {
  const lines = [
    { command: 'register_akasse_intake', cpr, event: 'intake', start: '2026-01-01', insurance_category: 'fuldtid',
      akasse_code: akasse, branch: '1' },
    { command: 'create_dagpenge_placement', cpr, placement_date: '2026-11-01', placement_hours: 3848,
      placement_type: 'ordinary', update_kind: 'new', placement_basis: basis, computation_date: '2026-11-02',
      akasse_code: akasse, latest_employer_report: '2026-11-01', register_fetched_at: '2026-11-02T02:00' }];
  const res = await page.request.post(`${base}/v1/batch`, {
    headers: { 'x-dev-system': `ak-${akasse}`, 'content-type': 'application/x-ndjson' },
    data: lines.map((l) => JSON.stringify(l)).join('\n') + '\n' });
  const text = await res.text();
  check(res.ok() && text.split('\n').filter(Boolean).every((l) => JSON.parse(l).status === 'accepted'),
    `a-kasse ${akasse} reports for ${cpr}: ${text}`);
}
await report('10', '0505801234', 'income');
await report('11', '0606801234', 'income');
await report('10', '0707801234', 'education_language');

async function login(cpr) {
  await page.goto(`${base}/minside`);
  await page.waitForFunction(() => document.body.dataset.loaded);
  if (await page.isVisible('#logud')) {
    const before = await page.evaluate(() => document.body.dataset.loaded);
    await page.click('#logud');
    await page.waitForFunction((b) => document.body.dataset.loaded !== b, before);
  }
  const before = await page.evaluate(() => document.body.dataset.loaded);
  await page.fill('#cpr', cpr);
  await page.press('#cpr', 'Enter');
  await page.waitForFunction((b) => document.body.dataset.loaded !== b, before, { timeout: 15000 });
}

await login('0505801234');
const anchors = await page.$$eval('#akasse a.straks', (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
check(anchors.length === 1 && anchors[0].href === link && anchors[0].text === labels['ms.straks_link'].da,
  `the member placed by a-kasse 10 sees its link: ${JSON.stringify(anchors)}`);
check((await page.$$eval('#akasse .kort h3', (hs) => hs.map((h) => h.textContent))).includes(labels['ms.straks_titel'].da),
  'the card names the immediate computation');
await page.screenshot({ path: join(outDir, 'minside-straks.png'), fullPage: true });
const before = await page.evaluate(() => document.body.dataset.loaded);
await page.click('#sprog');
await page.waitForFunction((b) => document.body.dataset.loaded !== b, before, { timeout: 15000 });
check(await page.textContent('#akasse a.straks') === labels['ms.straks_link'].en, 'the link in English');
await page.goto(`${base}/minside`);

await login('0606801234');
check(await page.$$eval('#akasse a.straks', (as) => as.length) === 0, 'no link from an a-kasse without one configured');
await login('0707801234');
check(await page.$$eval('#akasse a.straks', (as) => as.length) === 0, 'no link for a graduate');

await browser.close();
finish();
console.log('minside immediate computation e2e: all checks passed');
