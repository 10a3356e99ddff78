// The timeline's "Måling" section (docs/pages.md): the seed-004 measurement's explanation of the shown person
// in a chosen month (GET /v1/Maaling/forklaring?maaned=, docs/api.md) — in the measurement or not and why, the
// benefit group, the exemption share and which interviews counted. 404: no measurement input or the person is
// not in it.
import { $, api, element, problemText } from './common.js';
import { t } from './i18n.js';

const yesNo = (v) => (v ? t('tl.ja') : t('tl.nej'));

// Fetches and shows the explanation for `cpr` in the month of the picker #maaned.
export async function showMeasurement(cpr) {
  const month = $('maaned').value;
  const box = $('maalingindhold');
  if (!cpr || !/^\d{4}-\d{2}$/.test(month)) {
    box.replaceChildren(element('p', { class: 'meta', text: t('ma.vaelg') }));
    return;
  }
  box.replaceChildren(element('p', { class: 'meta', text: t('tl.henter') }));
  const r = await api(`/v1/Maaling/forklaring?maaned=${encodeURIComponent(month)}`, cpr);
  if (r.status === 404) {
    box.replaceChildren(element('p', { id: 'maalingsvar', text: t('ma.ikke_i_input') }));
    return;
  }
  if (r.status !== 200) {
    box.replaceChildren(element('p', { id: 'maalingsvar', class: 'fejl', text: problemText(r) }));
    return;
  }
  const m = r.body;
  const facts = element('dl', { id: 'maalingsvar' });
  const add = (term, value) => {
    if (value === undefined || value === null || value === '') return;
    facts.append(element('dt', { text: term }), element('dd', { text: `${value}` }));
  };
  add(t('ma.i_maalingen'), yesNo(m.i_maalingen));
  add(t('ma.udfald'), `${m.udfald}: ${m.begrundelse}`);
  add(t('ma.fritaget'), m.i_maalingen ? yesNo(m.fritaget) : undefined);
  add(t('ma.ydelsesgruppe'), m.ydelsesgruppe);
  add(t('ma.forloeb'), m.forloeb_start ? `${m.forloeb_start} – ${m.sidste_ydelsesdag}` : undefined);
  add(t('ma.varighed'), m.varighed !== undefined ? t('ma.dage_til', { days: m.varighed_dage, interval: m.varighed }) : undefined);
  add(t('ma.maaleperiode'), m.maaleperiode_start ? t('ma.periode', { from: m.maaleperiode_start, to: m.sidste_ydelsesdag, days: m.maaleperiode_dage }) : undefined);
  add(t('ma.fritagelse'), m.fritaget_dage !== undefined
    ? t('ma.andel', { days: m.fritaget_dage, pct: (m.fritaget_promille / 10).toFixed(1).replace('.', t('ma.komma')), limit: m.fritagelsesgraense_pct }) : undefined);
  add(t('ma.kommune'), m.kommune);
  add(t('ma.talte'), m.samtaler_talt);
  const parts = [facts];
  if (m.samtaler && m.samtaler.length) {
    const table = element('table', { class: 'historik' });
    table.append(element('thead', {}, element('tr', {}, ...['ma.h.dato', 'ma.h.type', 'ma.h.form', 'ma.h.taeller', 'ma.h.hvorfor'].map((k) => t(k))
      .map((h) => element('th', { scope: 'col', text: h })))));
    const tbody = element('tbody');
    for (const s of m.samtaler) {
      tbody.append(element('tr', {}, element('td', { text: s.dato }), element('td', { text: s.type }),
        element('td', { text: s.form }), element('td', { text: yesNo(s.talt) }),
        element('td', { text: s.talt ? '' : s.begrundelse })));
    }
    table.append(tbody);
    parts.push(element('div', { class: 'tabelramme' }, table));
  }
  parts.push(element('details', {}, element('summary', { text: t('ma.som_tekst') }),
    element('pre', { text: m.tekst })));
  box.replaceChildren(...parts);
}
