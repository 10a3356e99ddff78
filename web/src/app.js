// The statistics page (/statistik): measure, months, areas, benefit group and duration → a table and a chart
// (uPlot), answered by the statistics API (/v3/*, docs/statistics.md). The URL holds the selection; the CSV export
// holds exactly the rows of the table. Danish labels, number and date formats by default; `?lang=en` shows the page
// in English (labels as data: labels.json).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { lang, locale, t, named, translatePage, languageLink } from './i18n.js';

const TABLE = 'jobsamtaler';
// An area's name as the API gives it, except the country in English.
const areaName = (d) => (d.area === 'land' && lang === 'en' ? t('hele_landet') : d.area_name);
const nf = new Intl.NumberFormat(locale);
const pf = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const mf = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const $ = (id) => document.getElementById(id);
let meta = null;
let shown = { header: [], rows: [] }; // rows of the table: [{cells: [text...], raw: [value...]}]
let chart = null;

export function periodDate(p) { return new Date(Date.UTC(+p.slice(0, 4), +p.slice(5, 7) - 1, 1)); }
export function periodLabel(p) { return mf.format(periodDate(p)); }
export function formatValue(measure, v) {
  if (v === null || v === undefined) return '..';
  return measure === 'm4' ? pf.format(v) : nf.format(v);
}
// CSV export value: Danish decimal comma, no thousands separator, ".." when suppressed.
function csvValue(measure, v) {
  if (v === null || v === undefined) return '..';
  return measure === 'm4' ? v.toFixed(4).replace('.', ',') : String(v);
}

function option(select, value, text, parent) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  (parent || select).appendChild(o);
  return o;
}

function fillControls() {
  for (const m of meta.measures) option($('maal'), m.id, named('measure', m.id, m.name));
  const periods = meta.period_types[0].periods;
  for (const p of periods) {
    option($('fra'), p, periodLabel(p));
    option($('til'), p, periodLabel(p));
  }
  const land = meta.dimensions.find((d) => d.id === 'area').hierarchy;
  option($('omraade'), land.id, lang === 'da' ? land.name : t('hele_landet'));
  for (const region of land.children) {
    if (!region.children) { option($('omraade'), region.id, region.name); continue; }
    const group = document.createElement('optgroup');
    group.label = region.name;
    $('omraade').appendChild(group);
    option($('omraade'), region.id, t('hele_regionen', { name: region.name }), group);
    for (const k of region.children) option($('omraade'), k.id, k.name, group);
  }
  for (const g of meta.dimensions.find((d) => d.id === 'ydelsesgruppe').values) option($('gruppe'), g.id, named('group', g.id, g.name));
  for (const v of meta.dimensions.find((d) => d.id === 'varighed').values) option($('varighed'), v.id, named('interval', v.id, v.name));
  $('metode').textContent = `${meta.method_version} · ${t('katalog')} ${meta.catalog_version} · ${t('maalt')} ${meta.run.created_at.slice(0, 10)}`;
  const rule = lang === 'en' && meta.suppression.rule_en ? meta.suppression.rule_en : meta.suppression.rule;
  $('diskretion').textContent = `${t('diskretionering')}: ${rule}`;
}

function has(select, value) { return [...select.options].some((o) => o.value === value); }

// Selection from the URL (falls back to defaults for anything missing or unknown).
function readSelection() {
  const q = new URLSearchParams(location.search);
  const periods = meta.period_types[0].periods;
  const pick = (id, value, fallback) => { $(id).value = value && has($(id), value) ? value : fallback; };
  pick('maal', q.get('maal'), 'm4');
  pick('visning', q.get('visning'), 'linje');
  pick('til', q.get('til'), periods[periods.length - 1]);
  pick('fra', q.get('fra'), periods[Math.max(0, periods.length - 12)]);
  pick('gruppe', q.get('gruppe'), 'alle');
  pick('varighed', q.get('varighed'), 'i_alt');
  const areas = (q.get('omraade') || 'land').split(',').filter((a) => has($('omraade'), a));
  for (const o of $('omraade').options) o.selected = (areas.length ? areas : ['land']).includes(o.value);
}

function selection() {
  const areas = [...$('omraade').selectedOptions].map((o) => o.value);
  return {
    maal: $('maal').value, visning: $('visning').value, fra: $('fra').value, til: $('til').value,
    omraade: areas.length ? areas : ['land'], gruppe: $('gruppe').value, varighed: $('varighed').value,
  };
}

function writeUrl(s) {
  const q = new URLSearchParams({ ...s, omraade: s.omraade.join(',') });
  if (lang === 'en') q.set('lang', 'en');
  history.replaceState(null, '', `${location.pathname}?${q}`);
  languageLink();
}

// The default view (the last 12 months of measure 4 for the whole country, all groups, "I alt") is asked as
// `latest:12` — the same rows — with exactly the URL index.html preloads, so its answer is on the way while the
// script and the metadata load (docs/performance.md "Pages").
function isDefault(s) {
  const periods = meta.period_types[0].periods;
  return s.visning === 'linje' && s.maal === 'm4' && s.omraade.join(',') === 'land' && s.gruppe === 'alle' &&
    s.varighed === 'i_alt' && s.til === periods[periods.length - 1] && s.fra === periods[Math.max(0, periods.length - 12)];
}

export function dataUrl(s) {
  if (isDefault(s)) {
    return `/v3/data/${TABLE}?period.M=latest%3A12&area=land&ydelsesgruppe=alle&varighed=i_alt&measure=m4&format=json`;
  }
  if (s.visning === 'tilsyn') {
    const q = new URLSearchParams({ 'period.M': s.til, area: 'land,kommuner', format: 'json' });
    return `/v3/data/skaerpet_tilsyn?${q}`;
  }
  const bars = s.visning === 'kommuner';
  const q = new URLSearchParams({
    'period.M': bars ? s.til : `${s.fra}:${s.til}`,
    area: bars ? 'kommuner' : s.omraade.join(','),
    ydelsesgruppe: s.gruppe, varighed: s.varighed, measure: s.maal, format: 'json',
  });
  return `/v3/data/${TABLE}?${q}`;
}

async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(`${body.title}${body.parameter ? ` (${body.parameter})` : ''}`);
  return body;
}

// Skærpet tilsyn: municipalities ranked by the 12-month average of measure 4 ("12 måneder og derover"), the
// whole country as the reference (seed 004 gives no numeric fokusmål; docs/statistics.md).
function tilsynRows(data) {
  const land = data.data.find((d) => d.area === 'land');
  const rows = data.data.filter((d) => d.area !== 'land').map((d) => ({
    cells: [d.area_name, periodLabel(d.period)], value: d.m4_gennemsnit_12_maaneder, area: d.area, period: d.period,
  }));
  rows.sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || a.cells[0].localeCompare(b.cells[0], 'da'));
  return { rows, land: land ? land.m4_gennemsnit_12_maaneder : null };
}

function renderTable(s, data) {
  const tilsyn = s.visning === 'tilsyn';
  const label = tilsyn ? t('kol.tilsyn') : $('maal').selectedOptions[0].textContent;
  const bars = s.visning === 'kommuner';
  shown.header = bars || tilsyn ? [t('kol.kommune'), t('kol.maaned'), label] : [t('kol.maaned'), t('kol.omraade'), label];
  let rows = tilsyn ? tilsynRows(data).rows : data.data.map((d) => ({
    cells: bars ? [areaName(d), periodLabel(d.period)] : [periodLabel(d.period), areaName(d)],
    value: d[s.maal], area: d.area, period: d.period,
  }));
  if (bars && !tilsyn) rows.sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || a.cells[0].localeCompare(b.cells[0], 'da'));
  shown.rows = rows;
  const thead = $('tabel').tHead, tbody = $('tabel').tBodies[0];
  thead.innerHTML = '';
  tbody.innerHTML = '';
  const hr = thead.insertRow();
  for (const h of shown.header) { const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; hr.appendChild(th); }
  for (const r of rows) {
    const tr = tbody.insertRow();
    tr.dataset.area = r.area;
    tr.dataset.period = r.period;
    for (const c of r.cells) tr.insertCell().textContent = c;
    const td = tr.insertCell();
    td.className = 'tal';
    td.dataset.value = r.value === null ? '' : String(r.value);
    td.textContent = formatValue(tilsyn ? 'm4' : s.maal, r.value);
  }
}

function renderChart(s, data) {
  if (chart) { chart.destroy(); chart = null; }
  const el = $('graf');
  const width = Math.max(300, el.clientWidth || 800);
  const colors = ['#14457a', '#c2410c', '#2f6b2f', '#7a1f5c', '#5b4a00', '#00616b'];
  const value = (v) => (v === null || v === undefined ? null : v);
  const axisValues = (u, vals) => vals.map((v) => (v === null ? '' : formatValue(s.maal, v)));
  if (s.visning === 'kommuner' || s.visning === 'tilsyn') {
    const tilsyn = s.visning === 'tilsyn';
    const measure = tilsyn ? 'm4' : s.maal;
    const rows = shown.rows;
    const land = tilsyn ? tilsynRows(data).land : null;
    const extra = tilsyn ? [{ label: t('hele_landet'), stroke: '#c2410c', width: 2, dash: [6, 4], points: { show: false } }] : [];
    const xs = rows.map((_, i) => i);
    chart = new uPlot({
      width, height: 360,
      scales: { x: { time: false, range: [-0.5, rows.length - 0.5] } },
      axes: [{ values: (u, vals) => vals.map((i) => (rows[i] ? rows[i].cells[0] : '')), rotate: -60, size: 90, space: 12 },
        { values: (u, vals) => vals.map((v) => (v === null ? '' : formatValue(measure, v))), size: 70 }],
      series: [{ label: t('placering'), value: (u, i) => (i === null || !rows[i] ? '' : rows[i].cells[0]) },
        { label: tilsyn ? t('kol.kommune') : $('maal').selectedOptions[0].textContent, stroke: colors[0],
        fill: colors[0] + 'cc', paths: uPlot.paths.bars({ size: [0.7, 40] }), points: { show: false } }, ...extra],
      legend: { show: tilsyn },
    }, [xs, rows.map((r) => value(r.value)), ...(tilsyn ? [rows.map(() => land)] : [])], el);
    $('grafnote').textContent = tilsyn
      ? t('note.tilsyn', { month: periodLabel(s.til), land: formatValue('m4', land) })
      : t('note.kommuner', { month: periodLabel(s.til) });
    return;
  }
  const periods = [...new Set(data.data.map((d) => d.period))];
  const areas = [...new Set(data.data.map((d) => d.area))];
  const names = Object.fromEntries(data.data.map((d) => [d.area, areaName(d)]));
  const xs = periods.map((p) => periodDate(p).getTime() / 1000);
  const series = areas.map((a) => periods.map((p) => value((data.data.find((d) => d.area === a && d.period === p) || {})[s.maal])));
  chart = new uPlot({
    width, height: 360,
    axes: [{ values: (u, vals) => vals.map((v) => mf.format(new Date(v * 1000))) }, { values: axisValues, size: 70 }],
    series: [{ label: t('kol.maaned'), value: (u, v) => (v === null ? '' : mf.format(new Date(v * 1000))) },
      ...areas.map((a, i) => ({ label: names[a], stroke: colors[i % colors.length], width: 2,
        value: (u, v) => (v === null || v === undefined ? '' : formatValue(s.maal, v)) }))],
  }, [xs, ...series], el);
  $('grafnote').textContent = t('note.linje');
}

async function update() {
  const s = selection();
  writeUrl(s);
  // XLSX: the same selection from the API as a workbook (rows in the API's order).
  $('xlsx').href = dataUrl(s).replace('format=json', 'format=xlsx');
  $('xlsx').download = `${s.visning === 'tilsyn' ? 'skaerpet-tilsyn' : 'jobsamtaler'}-${s.til}.xlsx`;
  for (const id of ['maal', 'fra', 'omraade', 'gruppe', 'varighed']) $(id).disabled = s.visning === 'tilsyn';
  $('status').className = '';
  $('status').textContent = t('henter');
  try {
    if (s.visning !== 'tilsyn' && s.fra > s.til) throw new Error(t('fra_efter_til'));
    const data = await getJson(dataUrl(s));
    renderTable(s, data);
    renderChart(s, data);
    $('status').textContent = t('viser', { n: nf.format(shown.rows.length) });
    document.body.dataset.loaded = String(Date.now());
  } catch (e) {
    $('status').className = 'fejl';
    $('status').textContent = `${t('fejl')}: ${e.message}`;
    document.body.dataset.loaded = String(Date.now());
  }
}

function exportCsv() {
  const s = selection();
  const measure = s.visning === 'tilsyn' ? 'm4' : s.maal;
  const quote = (t) => (/[;"\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t);
  const lines = [shown.header.map(quote).join(';')];
  for (const r of shown.rows) lines.push([...r.cells, csvValue(measure, r.value)].map(quote).join(';'));
  const blob = new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  const name = s.visning === 'tilsyn' ? `skaerpet-tilsyn-${s.til}` : `jobsamtaler-${s.maal}-${s.visning === 'kommuner' ? s.til : `${s.fra}-${s.til}`}`;
  a.download = `${name}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

async function start() {
  translatePage('page_title');
  try {
    meta = await getJson(`/v3/table/${TABLE}`);
  } catch (e) {
    $('status').className = 'fejl';
    $('status').textContent = `${t('fejl')}: ${e.message}`;
    return;
  }
  fillControls();
  readSelection();
  for (const id of ['maal', 'visning', 'fra', 'til', 'omraade', 'gruppe', 'varighed']) $(id).addEventListener('change', update);
  $('eksport').addEventListener('click', exportCsv);
  await update();
}

start();
