// End-to-end test of self-booking on the citizen's page (/minside, docs/pages.md) in Debian's headless chromium
// (playwright-core): the demo person (examples/timeline-demo.jsonl) has a deadline for booking a meeting; the
// citizen books one before it (arrow key and Enter), the registry holds it and the page lists it; a day the
// registry refuses is explained in the registry's words; the page in English (?lang=en).
// Usage: node minside_booking.mjs BASE_URL WEB_PACKAGE_DIR OUT_DIR
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, openPage } from './harness.mjs';

const [base, webDir, outDir] = process.argv.slice(2);
const CPR = '0304851234';
const { check, finish } = checker();

const { browser, page } = await openPage(webDir, check, { base, system: 'sandbox-jobnet', timezoneId: 'Europe/Copenhagen' });
const headers = { 'x-dev-system': 'sandbox-jobnet', 'x-civilRegistrationIdentifier': CPR };
async function loaded(action) {
  const before = await page.evaluate(() => document.body.dataset.loaded || '');
  await action();
  await page.waitForFunction((b) => (document.body.dataset.loaded || '') !== b, before, { timeout: 15000 });
}

await page.goto(`${base}/minside`);
await page.waitForFunction(() => document.body.dataset.loaded);
await page.fill('#cpr', CPR);
await loaded(() => page.press('#cpr', 'Enter'));
const status = await (await page.request.get(`${base}/v1/status`, { headers })).json();
const deadline = status.next_deadline && status.next_deadline.deadline;
check(deadline, 'the demo person has a deadline');
check(await page.getAttribute('#bookdato', 'min') === status.date && await page.getAttribute('#bookdato', 'max') === deadline,
  `the booking window is today – the deadline: ${await page.getAttribute('#bookdato', 'min')} – ${await page.getAttribute('#bookdato', 'max')}`);
const meetingsBefore = await page.$$eval('#moeder .kort', (cs) => cs.length);

// The day and the time typed, the form chosen with an arrow key, the button pressed with Enter.
await page.fill('#bookdato', '2026-12-10');
await page.fill('#booktid', '13:00');
await page.focus('#bookform');
await page.keyboard.press('ArrowDown');
check(await page.inputValue('#bookform') === 'telefonisk', `arrow key chooses the form: ${await page.inputValue('#bookform')}`);
await page.focus('#booking button[type=submit]');
await loaded(() => page.keyboard.press('Enter'));
check((await page.textContent('#status')).startsWith('Du har booket en samtale'), `booked: ${await page.textContent('#status')}`);
const meetings = await page.$$eval('#moeder .kort h3', (hs) => hs.map((h) => h.textContent));
check(meetings.length === meetingsBefore + 1 && meetings.some((m) => m.includes('10. december 2026') && m.includes('13:00–13:30')),
  `the booked meeting is listed: ${meetings}`);
check((await page.$$eval('#moeder .kort', (cs) => cs.map((c) => c.textContent))).some((c) =>
  c.includes('10. december 2026') && c.includes('Du har selv booket mødet.') && !c.includes('Jeg har set indkaldelsen')),
  'the self-booked meeting says so and asks for no acknowledgement');
const list = await (await page.request.get(`${base}/v1/Indkaldelse`, { headers })).json();
const booked = list.find((f) => f.start === '2026-12-10');
check(booked && booked.extra.start_time === '13:00' && booked.extra.end_time === '13:30' && booked.extra.form === 'telefonisk',
  `the registry holds the booked meeting: ${JSON.stringify(booked)}`);

// A day in the past, which the registry refuses: the page says why in Danish (the page's own limit removed).
await page.evaluate(() => { document.getElementById('bookdato').removeAttribute('min'); });
await page.fill('#bookdato', '2026-11-01');
await page.click('#booking button[type=submit]');
await page.waitForFunction(() => document.getElementById('status').classList.contains('fejl'), null, { timeout: 15000 });
check((await page.textContent('#status')).includes('ligger før'), `refused booking explained: ${await page.textContent('#status')}`);

// English (?lang=en, the link under the page; the login stays in the tab): labels of web/src/labels.json, English
// dates, Danish stays the default.
check(await page.getAttribute('html', 'lang') === 'da' && await page.textContent('#sprog') === 'English', 'Danish by default');
await loaded(() => page.click('#sprog'));
const labels = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../web/src/labels.json'), 'utf8'));
const enLong = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const day = (x) => new Date(Date.UTC(+x.slice(0, 4), +x.slice(5, 7) - 1, +x.slice(8, 10)));
check(new URL(page.url()).searchParams.get('lang') === 'en' && await page.getAttribute('html', 'lang') === 'en', 'English page');
check(await page.textContent('h1') === labels['ms.h1'].en, `English heading ${await page.textContent('h1')}`);
for (const key of ['ms.h_tilmelding', 'ms.h_frist', 'ms.h_moeder', 'ms.h_fritaget', 'ms.h_akasse', 'ms.logout']) {
  check(await page.$eval(`[data-t="${key}"]`, (e) => e.textContent) === labels[key].en, `English ${key}`);
}
check(await page.textContent('#naestefrist') === `Deadline for booking a meeting: ${enLong.format(day(deadline))}.`,
  `English deadline: ${await page.textContent('#naestefrist')}`);
check(await page.textContent('#booking button[type=submit]') === labels['ms.book'].en, 'English booking button');
const enMeetings = await page.$$eval('#moeder .kort h3', (hs) => hs.map((h) => h.textContent));
check(enMeetings.some((m) => m.startsWith(enLong.format(day('2026-12-10')))), `English meeting dates: ${enMeetings}`);
await page.screenshot({ path: join(outDir, 'minside-en.png'), fullPage: true });
await loaded(() => page.click('#sprog'));
check(await page.getAttribute('html', 'lang') === 'da' && (await page.textContent('h1')) === 'Min side', 'back to Danish');

await browser.close();
finish();
console.log('minside booking e2e: all checks passed');
