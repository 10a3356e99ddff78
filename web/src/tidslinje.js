// The person timeline (/tidslinje, docs/pages.md): a caseworker enters a CPR number, a date and optionally a
// "kendt pr." date, and sees the person's registrations on a time axis, the obligations on that date and why
// (GET /v1/status), and each registration's versions and corrections (GET /v1/{R}/{id}/historik). Every number
// comes from the registry API under the access rules of the caseworker's system; the CPR is kept in memory only.
import './tidslinje.css';
import { $, api, element, formatDay, parseDay, today, normaliseCpr, problemText, setOtherActor } from './common.js';
import { showMeasurement } from './maaling.js';
import { locale, t, translatePage } from './i18n.js';

const names = { groups: {}, visitation: {}, absences: {}, records: {} };
const yesNo = (v) => (v ? t('tl.ja') : t('tl.nej'));

// One lane per resource of /v1 (docs/api.md), in the order a caseworker reads a case.
const LANES = [
  { resource: 'Myndighed', name: t('tl.lane.Myndighed'), label: (f) => t('tl.l.kommune', { code: f.code }) },
  { resource: 'Kontaktgruppe', name: t('tl.lane.Kontaktgruppe'), label: (f) => `${f.code} ${names.groups[f.code] || ''}`.trim() },
  { resource: 'Visitation', name: t('tl.lane.Visitation'), label: (f) => names.visitation[f.text] || f.text },
  { resource: 'Tilmelding', name: t('tl.lane.Tilmelding'), label: (f) => t('tl.l.tilmeldt', { code: f.code }) },
  { resource: 'Akasse', name: t('tl.lane.Akasse'), label: (f) => `A-kasse ${f.text}` },
  { resource: 'Akassevalg', name: t('tl.lane.Akassevalg'), label: (f) => (f.text === 'wants' ? t('tl.l.oensker') : t('tl.l.fravalgt')) },
  { resource: 'CvStatus', name: t('tl.lane.CvStatus'), label: (f) => `CV: ${f.text}` },
  { resource: 'Fravaer', name: t('tl.lane.Fravaer'), label: (f) => `${f.code} ${names.absences[f.code] || ''}`.trim() },
  { resource: 'Frist', name: t('tl.lane.Frist'), label: (f) => t('tl.l.frist', { date: formatDay(f.end) }) },
  { resource: 'Indkaldelse', name: t('tl.lane.Indkaldelse'), label: (f) => `Indkaldelse: ${f.text}${f.extra && f.extra.start_time ? ' kl. ' + f.extra.start_time : ''}` },
  { resource: 'Samtale', name: t('tl.lane.Samtale'), label: (f) => `Samtale: ${f.text}` },
  { resource: 'Opfoelgning', name: t('tl.lane.Opfoelgning'), label: (f) => `Opfølgning${f.extra && f.extra.form ? ': ' + f.extra.form : ''}` },
];
const POINT_KINDS = new Set(['interview', 'summons', 'followup']);

let cpr = null;
let shown = null; // {date, known, lanes: [{name, items: [{id, resource, fact|entity, start, end, label, deleted}]}]}

async function loadNames() {
  if (names.loaded) return;
  const k = await api('/v1/katalog');
  if (k.status !== 200) return;
  for (const g of k.body.contact_groups) names.groups[g.id] = g.name_da;
  for (const v of k.body.visitation_categories) names.visitation[v.key] = v.name_da;
  for (const a of k.body.absences) names.absences[a.id] = a.name_da;
  names.loaded = true;
}

function query(params) {
  const q = Object.entries(params).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return q ? `?${q}` : '';
}

async function show(event) {
  if (event) event.preventDefault();
  const typed = normaliseCpr($('cpr').value);
  if (!typed) {
    setStatus(t('tl.skriv_cpr'), true);
    $('cpr').focus();
    return;
  }
  cpr = typed;
  const date = $('dato').value || today();
  const known = $('kendt').value || '';
  setStatus(t('tl.henter'));
  const started = performance.now();
  const namesLoaded = loadNames(); // in parallel with the person's data
  const [status, lists, records] = await Promise.all([
    api(`/v1/status${query({ dato: date, kendt_pr: known })}`, cpr),
    Promise.all(LANES.map((l) => api(`/v1/${l.resource}${query({ kendt_pr: known, berigtigede: 'med' })}`, cpr))),
    api(`/v1/Registreringer${query({ kendt_pr: known })}`, cpr)]);
  if (status.status !== 200) {
    $('resultat').hidden = true;
    setStatus(problemText(status), true);
    return;
  }
  await namesLoaded;
  for (const r of status.body.record_scope || []) names.records[r.record_type] = r.name_da;
  const lanes = LANES.map((l, i) => ({
    name: l.name,
    items: lists[i].status === 200 ? lists[i].body.map((f) => ({
      resource: l.resource, id: f.entity_id, fact: f, start: f.start, end: f.end, label: l.label(f), deleted: f.deleted,
      point: POINT_KINDS.has(f.kind),
    })) : [],
    refused: lists[i].status !== 200,
  }));
  if (records.status === 200) {
    const byType = new Map();
    for (const e of records.body.entities) {
      const last = e.versions[e.versions.length - 1];
      if (!byType.has(e.record_type)) byType.set(e.record_type, []);
      byType.get(e.record_type).push({
        resource: 'Registreringer', id: e.entity_id, entity: e, start: last.start, end: last.end, deleted: last.deleted,
        label: `${names.records[e.record_type] || e.record_type}`,
      });
    }
    for (const [type, items] of byType) lanes.push({ name: names.records[type] || type, items, record: true });
  }
  shown = { date, known, lanes };
  renderFacts(status.body);
  renderObligations(status.body);
  renderTimeline();
  renderList();
  if (!$('maaned').value) $('maaned').value = date.slice(0, 7);
  showMeasurement(cpr);
  $('resultat').hidden = false;
  $('detalje').hidden = true;
  const count = lanes.reduce((n, l) => n + l.items.length, 0);
  setStatus(t('tl.viser', { count, cpr: status.body.cpr, date: formatDay(date), known: known ? t('tl.som_kendt', { date: formatDay(known) }) : '' }));
  document.body.dataset.loaded = `${Date.now()}`;
  document.body.dataset.renderMs = `${Math.round(performance.now() - started)}`;
}

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('fejl', error);
}

function renderFacts(s) {
  const dl = $('fakta');
  dl.replaceChildren();
  const add = (term, value) => dl.append(element('dt', { text: term }), element('dd', { text: value || '–' }));
  add(t('tl.f.kontaktgruppe'), s.contact_group ? `${s.contact_group.id} ${s.contact_group.name_da} (${t('tl.fra')} ${formatDay(s.contact_group.start)})` : t('tl.ingen'));
  add(t('tl.f.visitation'), s.visitation ? s.visitation.name_da : t('tl.ingen'));
  add(t('tl.f.tilmelding'), s.jobseeker ? t('tl.kategori_fra', { category: s.jobseeker.category, date: formatDay(s.jobseeker.start) }) : t('tl.ikke_tilmeldt'));
  add(t('tl.f.kommune'), s.municipality ? s.municipality.name : t('tl.ingen'));
  add(t('tl.f.akasse'), s.akasse ? s.akasse.akasse : t('tl.ingen'));
  add(t('tl.f.sidste'), s.last_interview ? formatDay(s.last_interview) : t('tl.ingen'));
  add(t('tl.f.frist'), s.next_deadline ? formatDay(s.next_deadline.deadline) : t('tl.ingen'));
  add(t('tl.f.moeder'), (s.upcoming_meetings || []).map((m) => `${formatDay(m.date)} (${m.type})`).join(', ') || t('tl.ingen'));
  add(t('tl.f.fravaer'), (s.active_absences || []).map((a) => `${a.reason} ${a.name_da}`).join(', ') || t('tl.ingen'));
}

function renderObligations(s) {
  const body = $('pligter').tBodies[0];
  body.replaceChildren();
  for (const o of s.obligations || []) {
    const why = element('td');
    if (o.state === 'applies') {
      why.textContent = t('tl.ingen_loefter');
    } else {
      for (const by of o.lifted_by) {
        const implied = by.implied_by
          ? `; ${by.implied_by.rule === 'same_duty' ? t('tl.samme_pligt') : t('tl.foelger_af')} ${by.implied_by.name_da}, ${by.implied_by.source}`
          : '';
        const rule = `${by.legal_ref}; ${by.source}${implied}`;
        why.append(element('p', { class: 'hvorfor' }, element('strong', { text: `${by.reason} ${by.name_da}` }), ` (${rule})`));
      }
    }
    body.append(element('tr', { 'data-key': o.key, 'data-state': o.state },
      element('th', { scope: 'row', text: o.name_da }),
      element('td', { class: o.state === 'applies' ? 'gaelder' : 'loeftet', text: o.state === 'applies' ? t('tl.gaelder') : t('tl.loeftet') }),
      why));
  }
  if (!body.rows.length) body.append(element('tr', {}, element('td', { colspan: 3, text: t('tl.ingen_pligter') })));
}

const DAY = 86400000;
function span() {
  const days = [parseDay(shown.date).getTime()];
  if (shown.known) days.push(parseDay(shown.known).getTime());
  for (const l of shown.lanes) {
    for (const it of l.items) {
      days.push(parseDay(it.start).getTime());
      if (it.end) days.push(parseDay(it.end).getTime());
    }
  }
  const from = new Date(Math.min(...days) - 15 * DAY);
  const to = new Date(Math.max(...days) + 45 * DAY);
  return { from: Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1), to: to.getTime() };
}

function renderTimeline() {
  const root = $('tidslinje');
  root.replaceChildren();
  const { from, to } = span();
  const pct = (day) => `${(((parseDay(day).getTime() - from) / (to - from)) * 100).toFixed(3)}%`;
  const axis = element('div', { class: 'akse', 'aria-hidden': 'true' });
  for (let d = new Date(from); d.getTime() < to; d.setUTCMonth(d.getUTCMonth() + 1)) {
    const text = d.toISOString().slice(0, 10);
    const month = d.getUTCMonth();
    axis.append(element('span', { class: month === 0 ? 'maaned aar' : 'maaned', style: `left:${pct(text)}`,
      text: month === 0 ? `${d.getUTCFullYear()}` : new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(d) }));
  }
  root.append(element('div', { class: 'spor' }, element('span', { class: 'sporNavn' }), axis));
  for (const lane of shown.lanes) {
    if (!lane.items.length) continue;
    const track = element('div', { class: 'bane', role: 'group', 'aria-label': lane.name });
    track.append(element('span', { class: 'dato', style: `left:${pct(shown.date)}`, 'aria-hidden': 'true' }));
    // Overlapping entities of one lane go on separate rows (first row whose last entity ended before).
    const rowEnds = [];
    const items = [...lane.items].sort((a, b) => a.start.localeCompare(b.start));
    for (const it of items) {
      const openEnd = !it.end;
      const end = it.end || new Date(to).toISOString().slice(0, 10);
      const left = pct(it.start);
      const width = it.point || it.start === it.end ? null
        : `${Math.max(0.6, ((parseDay(end).getTime() - parseDay(it.start).getTime() + DAY) / (to - from)) * 100).toFixed(3)}%`;
      const when = it.point || it.start === it.end ? formatDay(it.start)
        : `${formatDay(it.start)} – ${openEnd ? t('tl.uden_slut') : formatDay(it.end)}`;
      const startMs = parseDay(it.start).getTime();
      const endMs = (width ? parseDay(end).getTime() : startMs) + 12 * DAY; // room for a dot or a short label
      let row = rowEnds.findIndex((e) => e < startMs);
      if (row < 0) row = rowEnds.push(0) - 1;
      rowEnds[row] = endMs;
      const top = `top:${(0.2 + row * 1.6).toFixed(1)}rem`;
      const item = element('button', {
        type: 'button',
        class: `${width ? 'bjaelke' : 'punkt'}${it.deleted ? ' berigtiget' : ''}${openEnd && width ? ' aaben' : ''}`,
        style: width ? `left:${left};width:${width};${top}` : `left:${left};${top}`,
        'data-resource': it.resource, 'data-id': it.id,
        'aria-label': `${lane.name}: ${it.label}, ${when}${it.deleted ? `, ${t('tl.berigtiget')}` : ''}`,
        title: `${it.label} (${when})`,
        onclick: () => showHistory(it),
      }, width ? element('span', { text: it.label }) : null);
      track.append(item);
    }
    track.style.height = `${(0.3 + rowEnds.length * 1.6).toFixed(1)}rem`;
    root.append(element('div', { class: 'spor' }, element('span', { class: 'sporNavn', text: lane.name }), track));
  }
}

function renderList() {
  const body = $('liste').tBodies[0];
  body.replaceChildren();
  const rows = [];
  for (const lane of shown.lanes) for (const it of lane.items) rows.push({ lane, it });
  rows.sort((a, b) => a.it.start.localeCompare(b.it.start));
  for (const { lane, it } of rows) {
    const recorded = it.fact ? it.fact.recorded_on : it.entity.versions[it.entity.versions.length - 1].recorded_on;
    body.append(element('tr', { class: it.deleted ? 'berigtiget' : null },
      element('td', { text: lane.name }),
      element('td', { text: `${it.label}${it.deleted ? ` (${t('tl.berigtiget')})` : ''}` }),
      element('td', { text: formatDay(it.start) }),
      element('td', { text: it.end ? formatDay(it.end) : '–' }),
      element('td', { text: formatDay(recorded) }),
      element('td', {}, element('button', { type: 'button', class: 'lille', text: t('tl.historik'),
        'aria-label': t('tl.historik_for', { label: it.label }), onclick: () => showHistory(it) }))));
  }
}

// One registration's versions, oldest first: from the list's record history, or GET /v1/{R}/{id}/historik.
async function showHistory(it) {
  let versions;
  if (it.entity) {
    versions = it.entity.versions;
  } else {
    const h = await api(`/v1/${it.resource}/${it.id}/historik${query({ kendt_pr: shown.known })}`, cpr);
    if (h.status !== 200) { setStatus(problemText(h), true); return; }
    versions = h.body;
  }
  const box = $('detaljeindhold');
  box.replaceChildren(element('p', {}, element('strong', { text: it.label }),
    ` · ${t(versions.length === 1 ? 'tl.version' : 'tl.versioner', { n: versions.length })}${it.deleted ? ` · ${t('tl.berigtiget')}` : ''}`));
  const table = element('table', { class: 'historik' });
  table.append(element('thead', {}, element('tr', {}, ...['tl.col.registreret', 'tl.h.loebenr', 'tl.h.kanal', 'tl.col.fra', 'tl.col.til', 'tl.h.handling', 'tl.h.detaljer'].map((k) => t(k))
    .map((h) => element('th', { scope: 'col', text: h })))));
  const tbody = element('tbody');
  versions.forEach((v, i) => {
    const action = v.deleted ? t('tl.berigtiget_med', { comment: v.comment || '' }) : v.action || (i === 0 ? t('tl.oprettet') : t('tl.aendret'));
    const details = { ...(v.extra || {}), ...(v.fields || {}) };
    if (v.code !== undefined) details.kode = v.code;
    if (v.text !== undefined) details.værdi = v.text;
    if (v.comment && !v.deleted) details.kommentar = v.comment;
    tbody.append(element('tr', { class: v.deleted ? 'berigtiget' : null },
      element('td', { text: formatDay(v.recorded_on) }), element('td', { text: `${v.seq}` }),
      element('td', { text: v.channel }), element('td', { text: formatDay(v.start) }),
      element('td', { text: v.end ? formatDay(v.end) : '–' }), element('td', { text: action }),
      element('td', { class: 'detaljer', text: Object.entries(details)
        .map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : typeof x === 'boolean' ? yesNo(x) : x}`).join(' · ') })));
  });
  table.append(tbody);
  box.append(element('div', { class: 'tabelramme' }, table),
    element('button', { type: 'button', id: 'visdato', text: t('tl.vis_pligter', { date: formatDay(it.start) }),
      onclick: () => { $('dato').value = it.start; show(); } }));
  $('detalje').hidden = false;
  $('detalje').focus();
}

// An other actor: the server named its CVR and the municipalities it acts for (meta dfdg-anden-aktoer); the user
// chooses the municipality of the calls, and a change of municipality clears what was shown for the last one.
function chooseMunicipality() {
  const meta = document.querySelector('meta[name="dfdg-anden-aktoer"]');
  if (!meta) return;
  const actor = JSON.parse(meta.content);
  for (const k of actor.kommuner) $('kommune').append(element('option', { value: String(k.kode), text: `${k.kode} ${k.navn}` }));
  const choose = () => {
    setOtherActor($('kommune').value, actor.cvr);
    $('resultat').hidden = true;
    setStatus('');
  };
  $('kommune').addEventListener('change', choose);
  $('kommunefelt').hidden = false;
  choose();
}

translatePage('tl.title');
chooseMunicipality();
$('dato').value = today();
$('opslag').addEventListener('submit', show);
$('maaling').addEventListener('submit', (e) => { e.preventDefault(); showMeasurement(cpr); });
