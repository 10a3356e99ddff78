// An other actor (anden aktør) on the person timeline (/tidslinje) in Debian's headless chromium with its client
// certificate (mutual TLS; playwright-core's clientCertificates): the page names the actor's CVR (from its
// configuration entry) and offers the municipalities it acts for; every call of the page carries
// x-municipalityCode and x-cvrNumber (seed 000 § 6 stk. 4). Acting for the person's municipality (101) the page
// shows the person as `dfdg status --json` does; acting for another municipality of its entry (147) it is refused,
// and so is a municipality outside its entry, a wrong CVR and a call without the headers.
// Usage: node other_actor.mjs BASE_URL WEB_PACKAGE_DIR CERT_DIR EXPECTED_DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checker, launchBrowser } from './harness.mjs';

const [base, webDir, certDir, expectedDir] = process.argv.slice(2);
const CPR = '0304851234';  // the timeline demo person: municipality 101
const CVR = '12345678';
const { check, finish } = checker();
const browser = await launchBrowser(webDir);

async function newPage(cert) {
  const context = await browser.newContext({
    locale: 'da-DK', timezoneId: 'Europe/Copenhagen', ignoreHTTPSErrors: true,
    clientCertificates: [{ origin: base, certPath: join(certDir, `${cert}.pem`), keyPath: join(certDir, `${cert}.key`) }],
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => check(false, `page error: ${e.message}`));
  return page;
}

async function loaded(page, action) {
  const before = await page.evaluate(() => document.body.dataset.loaded || '');
  await action();
  await page.waitForFunction((b) => (document.body.dataset.loaded || '') !== b, before, { timeout: 15000 });
}

const page = await newPage('aa');
const calls = [];  // every API call of the page: [path, municipality header, CVR header]
page.on('request', (r) => {
  const url = new URL(r.url());
  if (url.pathname.startsWith('/v1/')) calls.push([url.pathname, r.headers()['x-municipalitycode'], r.headers()['x-cvrnumber']]);
});
const opened = await page.goto(`${base}/tidslinje`);
check(opened.status() === 200, `the other actor's certificate opens /tidslinje: ${opened.status()}`);
check(await page.isVisible('#kommune'), 'the page asks an other actor for the municipality');
const offered = await page.$$eval('#kommune option', (os) => os.map((o) => o.value));
check(JSON.stringify(offered) === '["101","147"]', `the municipalities of its entry are offered: ${offered}`);
const meta = JSON.parse(await page.getAttribute('meta[name="dfdg-anden-aktoer"]', 'content'));
check(meta.cvr === CVR, `the page names the actor's CVR: ${meta.cvr}`);

// 1. Acting for 101, the person's municipality: the person as `dfdg status --json` has it.
await page.selectOption('#kommune', '101');
await page.fill('#cpr', CPR);
await page.fill('#dato', '2026-05-10');
await loaded(page, () => page.click('#vis'));
check((await page.textContent('#status')).startsWith('Viser'), `acting for 101: ${await page.textContent('#status')}`);
const want = JSON.parse(readFileSync(join(expectedDir, 'status-2026-05-10.json'), 'utf8'));
const shown = await page.$$eval('#pligter tbody tr[data-key]', (trs) => trs.map((tr) => [tr.dataset.key, tr.dataset.state]));
check(want.obligations.length > 0 && JSON.stringify(shown) === JSON.stringify(want.obligations.map((o) => [o.key, o.state])),
  `acting for 101: the obligations of dfdg status: ${JSON.stringify(shown)}`);
check(await page.locator('#tidslinje .bane').count() > 0, 'acting for 101: the time axis is drawn');
check(calls.length > 3 && calls.every(([, m, c]) => m === '101' && c === CVR),
  `acting for 101: every call carries x-municipalityCode 101 and x-cvrNumber: ${JSON.stringify(calls.filter(([, m, c]) => m !== '101' || c !== CVR))}`);

// 2. Acting for 147, another municipality of its entry: the person of 101 is refused, as if it did not exist.
calls.length = 0;
await page.selectOption('#kommune', '147');
check(await page.isHidden('#resultat'), 'a change of municipality clears the person shown');
await page.click('#vis');
await page.waitForFunction(() => document.getElementById('status').classList.contains('fejl'), null, { timeout: 15000 });
check((await page.textContent('#status')).startsWith('Adgang nægtet'), `acting for 147: ${await page.textContent('#status')}`);
check(await page.isHidden('#resultat'), 'acting for 147: nothing of the person is shown');
check(calls.some(([p]) => p === '/v1/status') && calls.every(([, m, c]) => m === '147' && c === CVR),
  `acting for 147: the calls name 147: ${JSON.stringify(calls)}`);

// 3. What the page cannot choose, sent from the page's origin with the same certificate: a municipality outside
// the entry or a wrong CVR is refused (403), a call without the headers answers 400 missing_municipality.
const direct = await page.evaluate(async (cpr) => {
  const get = async (headers) => (await fetch('/v1/status?dato=2026-05-10', { headers: { 'x-civilRegistrationIdentifier': cpr, ...headers } })).status;
  return {
    outside: await get({ 'x-municipalityCode': '751', 'x-cvrNumber': '12345678' }),
    wrongCvr: await get({ 'x-municipalityCode': '101', 'x-cvrNumber': '87654321' }),
    none: await get({}),
    right: await get({ 'x-municipalityCode': '101', 'x-cvrNumber': '12345678' }),
  };
}, CPR);
check(direct.outside === 403 && direct.wrongCvr === 403 && direct.none === 400 && direct.right === 200,
  `direct calls: ${JSON.stringify(direct)}`);
await page.context().close();

// 4. A job centre's page names no other actor and sends no such headers.
const jc = await newPage('jc-101');
const jcCalls = [];
jc.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/v1/')) jcCalls.push(r.headers()); });
await jc.goto(`${base}/tidslinje`);
check(await jc.isHidden('#kommunefelt') && await jc.locator('meta[name="dfdg-anden-aktoer"]').count() === 0,
  'a job centre is not asked for a municipality');
await jc.fill('#cpr', CPR);
await loaded(jc, () => jc.click('#vis'));
check(jcCalls.length > 0 && jcCalls.every((h) => !('x-municipalitycode' in h) && !('x-cvrnumber' in h)),
  'a job centre sends no other-actor headers');
await jc.context().close();

await browser.close();
finish();
