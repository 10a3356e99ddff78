// The citizen's own page (/minside, docs/pages.md), served to Jobnet's connected system only: my registration,
// my next deadline for booking a meeting and booking one before it (POST /v1/Moede), my meetings (acknowledge;
// rebook within the window), what I am exempted
// from and until when, and what my a-kasse has registered that I am shown (the records' citizen view). Plain
// Danish. Everything comes from /v1 under the rule "jobnet reads the citizen's own data" (catalog/access.yaml).
import './minside.css';
import { $, api, element, formatDay, formatLongDay, normaliseCpr, problemText } from './common.js';

const KEY = 'dfdg_borger_cpr';
const FORMS = { personligt: 'fremmøde', telefonisk: 'telefon', video: 'video', digitalt: 'digitalt' };

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('fejl', error);
}

function card(title, ...lines) {
  return element('div', { class: 'kort' }, element('h3', { text: title }), ...lines.filter(Boolean).map((l) =>
    (typeof l === 'string' ? element('p', { text: l }) : l)));
}

async function load() {
  const cpr = sessionStorage.getItem(KEY);
  if (!cpr) {
    $('login').hidden = false;
    $('side').hidden = true;
    document.body.dataset.loaded = `${Date.now()}`;
    return;
  }
  $('login').hidden = true;
  setStatus('Henter dine oplysninger …');
  const [status, summons, view] = await Promise.all([
    api('/v1/status', cpr), api('/v1/Indkaldelse', cpr), api('/v1/Borgervisning', cpr)]);
  if (status.status !== 200) {
    setStatus(problemText(status), true);
    $('side').hidden = true;
    document.body.dataset.loaded = `${Date.now()}`;
    return;
  }
  const s = status.body;
  renderRegistration(s);
  renderDeadline(cpr, s);
  renderMeetings(cpr, s, summons.status === 200 ? summons.body : []);
  renderExemptions(s);
  renderAkasse(view.status === 200 ? view.body : null, Object.fromEntries((s.record_scope || []).map((r) => [r.record_type, r.name_da])));
  $('side').hidden = false;
  setStatus(`Oplysningerne er pr. ${formatLongDay(s.date)}.`);
  document.body.dataset.loaded = `${Date.now()}`;
}

function renderRegistration(s) {
  const box = $('tilmelding');
  box.replaceChildren();
  if (!s.jobseeker) {
    box.append(element('p', { text: 'Du er ikke tilmeldt som jobsøgende.' }));
  } else {
    box.append(element('p', { text: `Du er tilmeldt som jobsøgende fra ${formatLongDay(s.jobseeker.start)}.` }));
    const titles = (s.jobseeker.job_titles || []).map((t) => t.alias || t.code);
    if (titles.length) box.append(element('p', { text: `Du søger job som: ${titles.join(', ')}.` }));
  }
  if (s.municipality) box.append(element('p', { text: `Dit jobcenter: ${s.municipality.name}.` }));
  if (s.akasse) box.append(element('p', { text: `Din a-kasse: ${s.akasse.akasse}.` }));
}

function obligation(s, key) { return (s.obligations || []).find((o) => o.key === key); }

function renderDeadline(cpr, s) {
  const box = $('frist');
  box.replaceChildren();
  const duty = obligation(s, 'pligt_selvbooking');
  if (duty && duty.state === 'lifted') {
    box.append(element('p', { id: 'selvbookingfri',
      text: `Lige nu skal du ikke selv booke samtaler: du er fritaget (${duty.lifted_by.map((b) => b.name_da).join(', ')}).` }));
  }
  if (s.next_deadline) {
    box.append(element('p', { class: 'vigtigt', id: 'naestefrist',
      text: `Frist for at booke en samtale: ${formatLongDay(s.next_deadline.deadline)}.` }));
    box.append(bookingForm(cpr, s));
  } else if (!duty || duty.state !== 'lifted') {
    box.append(element('p', { text: 'Du har ingen frist for at booke en samtale.' }));
  }
}

function renderMeetings(cpr, s, summons) {
  const box = $('moeder');
  box.replaceChildren();
  const upcoming = summons.filter((f) => f.end >= s.date && !(f.extra && f.extra.cancelled))
    .sort((a, b) => a.start.localeCompare(b.start));
  if (!upcoming.length) box.append(element('p', { text: 'Du har ingen kommende møder.' }));
  for (const f of upcoming) {
    const x = f.extra || {};
    const where = x.address ? `Sted: ${x.address}.` : x.phone ? `Vi ringer til dig (${x.phone}).` : null;
    const actions = element('div', { class: 'handlinger' });
    if (x.seen_on) {
      actions.append(element('span', { class: 'kvitteret', text: `Du har set indkaldelsen (${formatDay(x.seen_on)}).` }));
    } else {
      actions.append(element('button', { type: 'button', 'data-id': f.entity_id, class: 'kvittering',
        text: 'Jeg har set indkaldelsen', onclick: () => act(cpr, `/v1/Indkaldelse/${f.entity_id}/kvittering`, {}, 'Tak. Du har kvitteret for indkaldelsen.') }));
    }
    if (x.rebooking_possible && x.rebooking_from && x.rebooking_to) {
      const from = x.rebooking_from > s.date ? x.rebooking_from : s.date;
      const date = element('input', { type: 'date', min: from, max: x.rebooking_to, required: true, id: `nydato-${f.entity_id}` });
      const time = element('input', { type: 'time', required: true, value: x.start_time || '09:00', id: `nytid-${f.entity_id}` });
      const form = element('form', { class: 'handlinger', 'aria-label': `Flyt mødet ${formatDay(f.start)}` },
        element('label', {}, `Ny dag (${formatDay(from)} – ${formatDay(x.rebooking_to)})`, date),
        element('label', {}, 'Klokken', time),
        element('button', { type: 'submit', class: 'sekundaer', text: 'Flyt mødet' }));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const minutes = duration(x.start_time, x.end_time);
        act(cpr, `/v1/Indkaldelse/${f.entity_id}/ombooking`,
          { date: date.value, start_time: time.value, end_time: addMinutes(time.value, minutes) },
          `Mødet er flyttet til ${formatLongDay(date.value)} kl. ${time.value}.`);
      });
      actions.append(form);
    }
    box.append(card(`${formatLongDay(f.start)} kl. ${x.start_time || ''}–${x.end_time || ''}`,
      `${f.text === 'jobsamtale' ? 'Jobsamtale' : f.text}${x.form ? ' (' + (FORMS[x.form] || x.form) + ')' : ''}.`,
      where, x.employee ? `Du skal tale med ${x.employee}.` : null, actions));
  }
}

// Self-booking before the deadline (§ 18 stk. 2; command book_meeting through POST /v1/Moede): a day from today
// to the deadline, a time and the form of the meeting; the registry decides (e.g. refuses while an exemption
// forbids meetings) and the page shows its Danish answer.
function bookingForm(cpr, s) {
  const last = s.next_deadline.deadline;
  const date = element('input', { type: 'date', min: s.date, max: last, required: true, id: 'bookdato' });
  const time = element('input', { type: 'time', required: true, value: '09:00', id: 'booktid' });
  const how = element('select', { id: 'bookform' });
  for (const [value, text] of [['personligt', 'Fremmøde'], ['telefonisk', 'Telefon'], ['video', 'Video']])
    how.append(element('option', { value, text }));
  const form = element('form', { id: 'booking', class: 'handlinger', 'aria-label': 'Book en samtale' },
    element('label', {}, `Dag (${formatDay(s.date)} – ${formatDay(last)})`, date),
    element('label', {}, 'Klokken', time),
    element('label', {}, 'Sådan', how),
    element('button', { type: 'submit', text: 'Book samtalen' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(cpr, '/v1/Moede', { date: date.value, start_time: time.value, end_time: addMinutes(time.value, 30),
      type: 'jobsamtale', form: how.value }, `Du har booket en samtale ${formatLongDay(date.value)} kl. ${time.value}.`);
  });
  return form;
}

function duration(start, end) {
  if (!start || !end) return 30;
  const m = (t) => +t.slice(0, 2) * 60 + +t.slice(3, 5);
  return Math.max(15, m(end) - m(start));
}
function addMinutes(time, minutes) {
  const total = +time.slice(0, 2) * 60 + +time.slice(3, 5) + minutes;
  return `${String(Math.floor(total / 60) % 24).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

async function act(cpr, path, body, done) {
  const r = await api(path, cpr, { method: 'POST', body, requestId: `minside-${Date.now()}` });
  if (r.status === 201) {
    await load();
    setStatus(done);
    return;
  }
  const v = r.body && r.body.violations && r.body.violations[0];
  setStatus(v ? v.message_da : problemText(r), true);
}

function renderExemptions(s) {
  const box = $('fritaget');
  box.replaceChildren();
  const names = Object.fromEntries((s.obligations || []).map((o) => [o.key, o.name_da]));
  if (!(s.active_absences || []).length) box.append(element('p', { text: 'Du er ikke fritaget for noget lige nu.' }));
  for (const a of s.active_absences || []) {
    const until = a.end || a.effective_end;
    const lifts = (a.lifts || []).map((k) => names[k] || k);
    box.append(card(a.name_da,
      until ? `Fra ${formatLongDay(a.start)} til og med ${formatLongDay(until)}.` : `Fra ${formatLongDay(a.start)}, uden slutdato.`,
      lifts.length ? `Du er fritaget for: ${lifts.join(', ')}.` : null));
  }
}

const FIELD_NAMES = { akasse_code: 'A-kasse', insurance_category: 'Forsikringskategori', start: 'Fra', end: 'Til' };

function renderAkasse(view, typeNames) {
  const box = $('akasse');
  box.replaceChildren();
  const entries = view ? Object.entries(view.records).filter(([, list]) => list.length) : [];
  if (!entries.length) box.append(element('p', { text: 'Din a-kasse har ikke registreret noget, du kan se her.' }));
  for (const [type, list] of entries) {
    for (const r of list) {
      const lines = Object.entries(r.fields).map(([k, v]) =>
        `${FIELD_NAMES[k] || k.replaceAll('_', ' ')}: ${/^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? formatDay(v) : v}`);
      box.append(card(typeNames[type] || type.replaceAll('_', ' '), ...lines));
    }
  }
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  const cpr = normaliseCpr($('cpr').value);
  if (!cpr) { setStatus('Skriv dit CPR-nummer med 10 cifre.', true); return; }
  sessionStorage.setItem(KEY, cpr);
  $('cpr').value = '';
  load().then(() => $('indhold').focus());
});
$('logud').addEventListener('click', () => { sessionStorage.removeItem(KEY); setStatus('Du er logget ud.'); load(); });
load();
