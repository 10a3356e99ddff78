// End-to-end test of the person timeline (/tidslinje) and the citizen's page (/minside) in a real headless browser:
// Debian's chromium driven by playwright-core (web/node_modules; no browser download).
// Usage: node pages.mjs BASE_URL WEB_PACKAGE_DIR OUT_DIR EXPECTED_DIR
// EXPECTED_DIR holds `dfdg status --json` answers for the demo person (examples/timeline-demo.jsonl), written by
// pages_e2e_test.py before the server started: the page's obligations must say the same. Keyboard only where a
// caseworker or citizen would type; phone width; screenshots OUT_DIR/tidslinje.png and OUT_DIR/minside.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checker, launchBrowser, newPage as harnessPage, worstContrast as harnessContrast } from './harness.mjs';

const [base, webDir, outDir, expectedDir] = process.argv.slice(2);
const CPR = '0304851234';
const dlf = new Intl.DateTimeFormat('da-DK', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const day = (t) => new Date(Date.UTC(+t.slice(0, 4), +t.slice(5, 7) - 1, +t.slice(8, 10)));
const expected = (name) => JSON.parse(readFileSync(join(expectedDir, name), 'utf8'));
const { check, finish } = checker();
const browser = await launchBrowser(webDir);
const newPage = (system, viewport) => harnessPage(browser, check, { base, system, viewport, timezoneId: 'Europe/Copenhagen' });

async function loaded(page, action) {
  const before = await page.evaluate(() => document.body.dataset.loaded || '');
  await action();
  await page.waitForFunction((b) => (document.body.dataset.loaded || '') !== b, before, { timeout: 15000 });
}

// The obligations table as {key: {state, why}}.
async function obligations(page) {
  return Object.fromEntries(await page.$$eval('#pligter tbody tr[data-key]', (trs) => trs.map((tr) =>
    [tr.dataset.key, { state: tr.dataset.state, name: tr.cells[0].textContent, why: tr.cells[2].textContent }])));
}

function compareObligations(shown, status, what) {
  check(Object.keys(shown).length === status.obligations.length && status.obligations.length > 0,
    `${what}: ${Object.keys(shown).length} obligations shown, dfdg status ${status.obligations.length}`);
  for (const o of status.obligations) {
    const s = shown[o.key];
    check(s && s.state === o.state && s.name === o.name_da, `${what}: ${o.key} shown ${s && s.state}, dfdg status ${o.state}`);
    for (const by of o.lifted_by) {
      check(s && s.why.includes(`${by.reason} ${by.name_da}`) && s.why.includes(by.source), `${what}: ${o.key} why`);
      if (by.implied_by) check(s && s.why.includes(by.implied_by.name_da) && s.why.includes(by.implied_by.source), `${what}: ${o.key} implied by`);
    }
  }
}

// The lowest colour contrast of the page's visible text (harness.mjs).
const worstContrast = (page) =>
  harnessContrast(page, 'h1, h2, h3, p, label, th, td, dt, dd, button, span, a', { visibleOnly: true });

// 1. Not reachable without a connected system; the development login offers the sandbox's case systems only.
{
  const page = await newPage(null);
  const r = await page.goto(`${base}/tidslinje`);
  check(r.status() === 401, `no system: /tidslinje answers ${r.status()}`);
  const offered = await page.$$eval('#system option', (os) => os.map((o) => o.textContent));
  check(offered.includes('sandbox-jobcenter-101') && !offered.includes('sandbox-jobnet'), `login offers ${offered}`);
  check((await page.request.get(`${base}/tidslinje/app.js`)).status() === 401, 'no system: the script is refused too');
  // Keyboard: Tab to the system list, choose, submit with Enter: the cookie is set and the page opens.
  await page.focus('#system');
  await page.selectOption('#system', 'sandbox-jobcenter-101');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#opslag', { timeout: 15000 });
  check(page.url() === `${base}/tidslinje`, 'after the development login the timeline page is shown');
  await page.context().close();
  const citizen = await newPage('sandbox-jobnet');
  const refused = await citizen.goto(`${base}/tidslinje`);
  check(refused.status() === 403, `jobnet on /tidslinje: ${refused.status()}`);
  await citizen.context().close();
}

// 2. The timeline, keyboard only: CPR, date, Enter.
const page = await newPage('sandbox-jobcenter-101');
await page.goto(`${base}/tidslinje`);
await page.keyboard.press('Tab'); // skip link
await page.keyboard.press('Tab');
check(await page.evaluate(() => document.activeElement.id) === 'cpr', 'Tab reaches the CPR field first');
await page.keyboard.type('030485-1234');
await page.keyboard.press('Tab');
check(await page.evaluate(() => document.activeElement.id) === 'dato', 'then the date');
await page.fill('#dato', '2026-05-10');
await loaded(page, () => page.keyboard.press('Enter'));
check(!page.url().includes(CPR) && !page.url().includes('030485'), `the CPR is not in the URL: ${page.url()}`);
check((await page.textContent('#status')).startsWith('Viser'), `status ${await page.textContent('#status')}`);
compareObligations(await obligations(page), expected('status-2026-05-10.json'), '2026-05-10');
const lanes = await page.$$eval('#tidslinje .bane', (ls) => ls.map((l) => l.getAttribute('aria-label')));
for (const lane of ['Kommune', 'Kontaktgruppe', 'Tilmelding', 'A-kassevalg', 'Fravær og fritagelser', 'Frister for selvbooking',
  'Indkaldelser', 'Afholdte samtaler', 'Medlemskab af arbejdsløshedskasse'])
  check(lanes.includes(lane), `lane ${lane} in ${lanes}`);
const facts = await page.$$eval('#fakta dd', (dds) => dds.map((d) => d.textContent));
const s0510 = expected('status-2026-05-10.json');
check(facts[0].startsWith(`${s0510.contact_group.id} ${s0510.contact_group.name_da}`), `contact group ${facts[0]}`);
check(facts.some((f) => f.includes('11 Sygdom – Sygemelding')), 'the active absence is listed');
const timelineContrast = await worstContrast(page);
check(timelineContrast.ratio >= 4.5, `timeline colour contrast ${timelineContrast.ratio.toFixed(2)} < 4.5 at ${timelineContrast.what}`);
// Screenshot from the form to the end of the time axis (docs/tidslinje.png).
const bottom = await page.$eval('#tidslinje', (e) => Math.ceil(e.getBoundingClientRect().bottom + window.scrollY + 16));
await page.screenshot({ path: join(outDir, 'tidslinje.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: bottom } });

// 3. The corrected sick leave is on the axis, marked; its history (keyboard: focus, Enter) shows the correction.
const corrected = page.locator('#tidslinje button.berigtiget[data-resource="Fravaer"]');
check(await corrected.count() === 1, `one corrected absence on the axis: ${await corrected.count()}`);
await corrected.focus();
await page.keyboard.press('Enter');
await page.waitForSelector('#detalje:not([hidden]) table.historik tbody tr');
const history = await page.$$eval('#detalje table.historik tbody tr', (trs) => trs.map((tr) => tr.textContent));
check(history.length === 2 && history[1].includes('Berigtiget: Forkert person'), `history ${history}`);
check(await page.evaluate(() => document.activeElement.id) === 'detalje', 'focus moves to the history');
// From the history: show the obligations on the entity's start day, as registered then.
await page.fill('#kendt', '2026-03-03');
await loaded(page, () => page.click('#visdato'));
check(await page.inputValue('#dato') === '2026-03-02', 'date taken from the registration');
await page.fill('#dato', '2026-03-03');
await loaded(page, () => page.click('#vis'));
compareObligations(await obligations(page), expected('status-2026-03-03-known-2026-03-03.json'), 'known 2026-03-03');
check(await page.locator('#tidslinje button.berigtiget').count() === 0, 'known before the correction: not yet corrected');
await page.fill('#kendt', '');
await loaded(page, () => page.click('#vis'));
compareObligations(await obligations(page), expected('status-2026-03-03.json'), 'known now, 2026-03-03');

// 4. A person of another municipality is refused without saying whether the person exists.
await page.fill('#cpr', '0202020202');
await page.click('#vis');
await page.waitForFunction(() => document.getElementById('status').classList.contains('fejl'));
check((await page.textContent('#status')).startsWith('Adgang nægtet'), `unknown person: ${await page.textContent('#status')}`);
check(await page.isHidden('#resultat'), 'nothing of the previous person stays on screen');

// 5. Phone width: only the time axis scrolls sideways.
const phone = await newPage('sandbox-jobcenter-101', { width: 390, height: 844 });
await phone.goto(`${base}/tidslinje`);
await phone.fill('#cpr', CPR);
await phone.fill('#dato', '2026-11-30');
await loaded(phone, () => phone.click('#vis'));
compareObligations(await obligations(phone), expected('status-2026-11-30.json'), 'phone 2026-11-30');
const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
check(overflow <= 0, `phone width: the timeline page is ${overflow} px wider than the screen`);
await phone.screenshot({ path: join(outDir, 'tidslinje-telefon.png'), fullPage: true });
await phone.context().close();

// 6. The citizen's page: Jobnet only; log in (sandbox stand-in for MitID) with the keyboard.
const caseworkerOnMinside = await page.goto(`${base}/minside`);
check(caseworkerOnMinside.status() === 403, `a job centre on /minside: ${caseworkerOnMinside.status()}`);
const now = expected('status-2026-11-30.json');
const citizen = await newPage('sandbox-jobnet');
await citizen.goto(`${base}/minside`);
await citizen.waitForFunction(() => document.body.dataset.loaded);
await citizen.focus('#cpr');
await citizen.keyboard.type(CPR);
await loaded(citizen, () => citizen.keyboard.press('Enter'));
check(!citizen.url().includes(CPR), 'the CPR is not in the URL');
check((await citizen.textContent('#naestefrist')) === `Frist for at booke en samtale: ${dlf.format(day(now.next_deadline.deadline))}.`,
  `next deadline: ${await citizen.textContent('#naestefrist')}`);
const selfBooking = now.obligations.find((o) => o.key === 'pligt_selvbooking');
check(selfBooking && (selfBooking.state === 'lifted') === (await citizen.$('#selvbookingfri') !== null),
  'the page says whether the duty to self-book is lifted, as dfdg status does');
check(await citizen.isHidden('#login'), 'the login form is gone after logging in');
const exemptions = await citizen.$$eval('#fritaget .kort', (cs) => cs.map((c) => c.textContent));
check(exemptions.length === now.active_absences.length && now.active_absences.length > 0, `exemptions ${exemptions.length}`);
for (const a of now.active_absences)
  check(exemptions.some((e) => e.includes(a.name_da) && e.includes(`til og med ${dlf.format(day(a.end))}`)), `exemption ${a.name_da}`);
const meetings = await citizen.$$eval('#moeder .kort h3', (hs) => hs.map((h) => h.textContent));
check(meetings.length === now.upcoming_meetings.length && meetings[0].startsWith(dlf.format(day(now.upcoming_meetings[0].date))),
  `meetings ${meetings}`);
const akasse = await citizen.textContent('#akasse');
check(akasse.includes('Forsikringskategori') && akasse.includes('A-kasse'), `the a-kasse's records as the citizen sees them: ${akasse}`);
const citizenContrast = await worstContrast(citizen);
check(citizenContrast.ratio >= 4.5, `citizen page colour contrast ${citizenContrast.ratio.toFixed(2)} < 4.5 at ${citizenContrast.what}`);
await citizen.screenshot({ path: join(outDir, 'minside.png'), fullPage: true });
// Acknowledge the summons with the keyboard, then rebook it within the window.
await citizen.focus('#moeder button.kvittering');
await loaded(citizen, () => citizen.keyboard.press('Enter'));
check((await citizen.textContent('#moeder')).includes('Du har set indkaldelsen'), 'acknowledged');
const id = now.upcoming_meetings[0].entity_id;
await citizen.fill(`#nydato-${id}`, '2026-12-16');
await citizen.fill(`#nytid-${id}`, '11:00');
await loaded(citizen, () => citizen.click('#moeder form button[type=submit]'));
check((await citizen.textContent('#status')).startsWith('Mødet er flyttet'), `rebook: ${await citizen.textContent('#status')}`);
const after = await (await citizen.request.get(`${base}/v1/Indkaldelse/${id}`, { headers: { 'x-civilRegistrationIdentifier': CPR } })).json();
check(after.start === '2026-12-16' && after.extra.start_time === '11:00' && after.extra.end_time === '11:30' && after.extra.seen_on,
  `the registry holds the rebooked, acknowledged meeting: ${JSON.stringify(after)}`);
// Outside the window: the registry refuses and the page says why.
await citizen.evaluate((i) => { document.getElementById(`nydato-${i}`).removeAttribute('max'); }, id);
await citizen.fill(`#nydato-${id}`, '2027-01-20');
await citizen.click('#moeder form button[type=submit]');
await citizen.waitForFunction(() => document.getElementById('status').classList.contains('fejl'));
check((await citizen.textContent('#status')).length > 10, `refused rebooking explained: ${await citizen.textContent('#status')}`);
const phoneCitizen = await newPage('sandbox-jobnet', { width: 390, height: 844 });
await phoneCitizen.goto(`${base}/minside`);
await phoneCitizen.fill('#cpr', CPR);
await loaded(phoneCitizen, () => phoneCitizen.click('#login button'));
const citizenOverflow = await phoneCitizen.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
check(citizenOverflow <= 0, `phone width: the citizen's page is ${citizenOverflow} px wider than the screen`);
await phoneCitizen.screenshot({ path: join(outDir, 'minside-telefon.png'), fullPage: true });

await browser.close();
finish();
console.log('pages e2e: all checks passed');
