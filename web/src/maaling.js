// The timeline's "Måling" section (docs/pages.md): the seed-004 measurement's explanation of the shown person
// in a chosen month (GET /v1/Maaling/forklaring?maaned=, docs/api.md) — in the measurement or not and why, the
// benefit group, the exemption share and which interviews counted. 404: no measurement input or the person is
// not in it.
import { $, api, element, problemText } from './common.js';

const yesNo = (v) => (v ? 'ja' : 'nej');

// Fetches and shows the explanation for `cpr` in the month of the picker #maaned.
export async function showMeasurement(cpr) {
  const month = $('maaned').value;
  const box = $('maalingindhold');
  if (!cpr || !/^\d{4}-\d{2}$/.test(month)) {
    box.replaceChildren(element('p', { class: 'meta', text: 'Vælg en måned (ÅÅÅÅ-MM).' }));
    return;
  }
  box.replaceChildren(element('p', { class: 'meta', text: 'Henter …' }));
  const r = await api(`/v1/Maaling/forklaring?maaned=${encodeURIComponent(month)}`, cpr);
  if (r.status === 404) {
    box.replaceChildren(element('p', { id: 'maalingsvar', text: 'Personen findes ikke i målingens input (eller registret har intet måleinput).' }));
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
  add('I målingen', yesNo(m.i_maalingen));
  add('Udfald', `${m.udfald}: ${m.begrundelse}`);
  add('Fritaget (mål 5)', m.i_maalingen ? yesNo(m.fritaget) : undefined);
  add('Ydelsesgruppe', m.ydelsesgruppe);
  add('Ydelsesforløb', m.forloeb_start ? `${m.forloeb_start} – ${m.sidste_ydelsesdag}` : undefined);
  add('Varighed', m.varighed !== undefined ? `${m.varighed_dage} dage → ${m.varighed}` : undefined);
  add('Måleperiode', m.maaleperiode_start ? `${m.maaleperiode_start} – ${m.sidste_ydelsesdag} (${m.maaleperiode_dage} dage)` : undefined);
  add('Fritagelse', m.fritaget_dage !== undefined
    ? `${m.fritaget_dage} dage = ${(m.fritaget_promille / 10).toFixed(1).replace('.', ',')} % (grænse ${m.fritagelsesgraense_pct} %)` : undefined);
  add('Kommune', m.kommune);
  add('Talte samtaler', m.samtaler_talt);
  const parts = [facts];
  if (m.samtaler && m.samtaler.length) {
    const table = element('table', { class: 'historik' });
    table.append(element('thead', {}, element('tr', {}, ...['Dato', 'Type', 'Form', 'Tæller', 'Hvorfor ikke']
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
  parts.push(element('details', {}, element('summary', { text: 'Som tekst (dfdg measure explain)' }),
    element('pre', { text: m.tekst })));
  box.replaceChildren(...parts);
}
