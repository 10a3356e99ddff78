// The citizen's own page (/minside, docs/pages.md), served to Jobnet's connected system only: my registration,
// my next deadline for booking a meeting and booking one before it (POST /v1/Moede), my meetings (acknowledge;
// rebook within the window), what I am exempted
// from and until when, and what my a-kasse has registered that I am shown (the records' citizen view). Plain
// Danish. Everything comes from /v1 under the rule "jobnet reads the citizen's own data" (catalog/access.yaml).
import './minside.css';
import { $, api, element, formatDay, formatLongDay, normaliseCpr, problemText } from './common.js';
import { t, translatePage } from './i18n.js';

const KEY = 'dfdg_borger_cpr';

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
  setStatus(t('ms.henter'));
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
  setStatus(t('ms.pr', { date: formatLongDay(s.date) }));
  document.body.dataset.loaded = `${Date.now()}`;
}

function renderRegistration(s) {
  const box = $('tilmelding');
  box.replaceChildren();
  if (!s.jobseeker) {
    box.append(element('p', { text: t('ms.ikke_tilmeldt') }));
  } else {
    box.append(element('p', { text: t('ms.tilmeldt', { date: formatLongDay(s.jobseeker.start) }) }));
    const titles = (s.jobseeker.job_titles || []).map((t) => t.alias || t.code);
    if (titles.length) box.append(element('p', { text: t('ms.soeger', { titles: titles.join(', ') }) }));
  }
  if (s.municipality) box.append(element('p', { text: t('ms.jobcenter', { name: s.municipality.name }) }));
  if (s.akasse) box.append(element('p', { text: t('ms.akasse', { name: s.akasse.akasse }) }));
}

function obligation(s, key) { return (s.obligations || []).find((o) => o.key === key); }

function renderDeadline(cpr, s) {
  const box = $('frist');
  box.replaceChildren();
  const duty = obligation(s, 'pligt_selvbooking');
  if (duty && duty.state === 'lifted') {
    box.append(element('p', { id: 'selvbookingfri',
      text: t('ms.selvbookingfri', { by: duty.lifted_by.map((b) => b.name_da).join(', ') }) }));
  }
  if (s.next_deadline) {
    box.append(element('p', { class: 'vigtigt', id: 'naestefrist',
      text: t('ms.frist', { date: formatLongDay(s.next_deadline.deadline) }) }));
    box.append(bookingForm(cpr, s));
  } else if (!duty || duty.state !== 'lifted') {
    box.append(element('p', { text: t('ms.ingen_frist') }));
  }
}

function renderMeetings(cpr, s, summons) {
  const box = $('moeder');
  box.replaceChildren();
  const upcoming = summons.filter((f) => f.end >= s.date && !(f.extra && f.extra.cancelled))
    .sort((a, b) => a.start.localeCompare(b.start));
  if (!upcoming.length) box.append(element('p', { text: t('ms.ingen_moeder') }));
  for (const f of upcoming) {
    const x = f.extra || {};
    const where = x.address ? t('ms.sted', { address: x.address }) : x.phone ? t('ms.ringer', { phone: x.phone }) : null;
    const actions = element('div', { class: 'handlinger' });
    if (x.self_booked) {
      actions.append(element('span', { class: 'kvitteret', text: t('ms.selvbooket') }));
    } else if (x.seen_on) {
      actions.append(element('span', { class: 'kvitteret', text: t('ms.set', { date: formatDay(x.seen_on) }) }));
    } else {
      actions.append(element('button', { type: 'button', 'data-id': f.entity_id, class: 'kvittering',
        text: t('ms.jeg_har_set'), onclick: () => act(cpr, `/v1/Indkaldelse/${f.entity_id}/kvittering`, {}, t('ms.kvitteret')) }));
    }
    if (x.rebooking_possible && x.rebooking_from && x.rebooking_to) {
      const from = x.rebooking_from > s.date ? x.rebooking_from : s.date;
      const date = element('input', { type: 'date', min: from, max: x.rebooking_to, required: true, id: `nydato-${f.entity_id}` });
      const time = element('input', { type: 'time', required: true, value: x.start_time || '09:00', id: `nytid-${f.entity_id}` });
      const form = element('form', { class: 'handlinger', 'aria-label': t('ms.flyt_aria', { date: formatDay(f.start) }) },
        element('label', {}, t('ms.ny_dag', { from: formatDay(from), to: formatDay(x.rebooking_to) }), date),
        element('label', {}, t('ms.klokken'), time),
        element('button', { type: 'submit', class: 'sekundaer', text: t('ms.flyt') }));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const minutes = duration(x.start_time, x.end_time);
        act(cpr, `/v1/Indkaldelse/${f.entity_id}/ombooking`,
          { date: date.value, start_time: time.value, end_time: addMinutes(time.value, minutes) },
          t('ms.flyttet', { date: formatLongDay(date.value), time: time.value }));
      });
      actions.append(form);
    }
    const formName = x.form ? t(`ms.formkort.${x.form}`) : '';
    box.append(card(t('ms.moede_titel', { date: formatLongDay(f.start), from: x.start_time || '', to: x.end_time || '' }),
      `${f.text === 'jobsamtale' ? t('ms.jobsamtale') : f.text}${x.form ? ` (${formName.startsWith('ms.') ? x.form : formName})` : ''}.`,
      where, x.employee ? t('ms.tale_med', { name: x.employee }) : null, actions));
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
  for (const value of ['personligt', 'telefonisk', 'video']) how.append(element('option', { value, text: t(`ms.form.${value}`) }));
  const form = element('form', { id: 'booking', class: 'handlinger', 'aria-label': t('ms.book_aria') },
    element('label', {}, t('ms.dag', { from: formatDay(s.date), to: formatDay(last) }), date),
    element('label', {}, t('ms.klokken'), time),
    element('label', {}, t('ms.saadan'), how),
    element('button', { type: 'submit', text: t('ms.book') }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(cpr, '/v1/Moede', { date: date.value, start_time: time.value, end_time: addMinutes(time.value, 30),
      type: 'jobsamtale', form: how.value }, t('ms.booket', { date: formatLongDay(date.value), time: time.value }));
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
  if (!(s.active_absences || []).length) box.append(element('p', { text: t('ms.ikke_fritaget') }));
  for (const a of s.active_absences || []) {
    const until = a.end || a.effective_end;
    const lifts = (a.lifts || []).map((k) => names[k] || k);
    box.append(card(a.name_da,
      until ? t('ms.fra_til', { from: formatLongDay(a.start), to: formatLongDay(until) }) : t('ms.fra_uden', { from: formatLongDay(a.start) }),
      lifts.length ? t('ms.fritaget_for', { list: lifts.join(', ') }) : null));
  }
}

const FIELD_NAMES = ['akasse_code', 'insurance_category', 'start', 'end'];
const fieldName = (k) => (FIELD_NAMES.includes(k) ? t(`ms.felt.${k}`) : k.replaceAll('_', ' '));

function renderAkasse(view, typeNames) {
  const box = $('akasse');
  box.replaceChildren();
  const entries = view ? Object.entries(view.records).filter(([, list]) => list.length) : [];
  // §§ 85-86 (docs/decisions/0031): the a-kasse's deep link for an immediate computation of the counters.
  const links = (view && view.notices || []).filter((n) => n.notice === 'straksopgoerelse' && /^https:\/\//.test(n.link || ''));
  for (const n of links) {
    box.append(card(t('ms.straks_titel'), t('ms.straks_tekst'),
      element('p', {}, element('a', { href: n.link, rel: 'noopener', class: 'straks', text: t('ms.straks_link') }))));
  }
  if (!entries.length && !links.length) box.append(element('p', { text: t('ms.akasse_intet') }));
  for (const [type, list] of entries) {
    for (const r of list) {
      const lines = Object.entries(r.fields).map(([k, v]) =>
        `${fieldName(k)}: ${/^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? formatDay(v) : v}`);
      box.append(card(typeNames[type] || type.replaceAll('_', ' '), ...lines));
    }
  }
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  const cpr = normaliseCpr($('cpr').value);
  if (!cpr) { setStatus(t('ms.skriv_cpr'), true); return; }
  sessionStorage.setItem(KEY, cpr);
  $('cpr').value = '';
  load().then(() => $('indhold').focus());
});
$('logud').addEventListener('click', () => { sessionStorage.removeItem(KEY); setStatus(t('ms.logget_ud')); load(); });
translatePage('ms.title');
load();
