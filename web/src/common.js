// Shared by the person timeline (/tidslinje) and the citizen's page (/minside): calls of the registry API (/v1,
// docs/api.md) with the person in the header x-civilRegistrationIdentifier — never in the URL — and Danish
// date formats (English with ?lang=en: i18n.js). The connected system is the page's own: the client certificate
// over TLS, or in development the cookie dfdg_dev_system that the login page sets (docs/pages.md).
import { locale, t } from './i18n.js';

export const $ = (id) => document.getElementById(id);

const dateFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const longDateFormat = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

// "2026-05-04" -> Date at UTC midnight.
export function parseDay(text) { return new Date(Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10))); }
export function formatDay(text) { return text ? dateFormat.format(parseDay(text)) : ''; }
export function formatLongDay(text) { return text ? longDateFormat.format(parseDay(text)) : ''; }
export function today() { return new Date().toISOString().slice(0, 10); }

// The CPR as typed (10 digits, optionally DDMMYY-SSSS) -> 10 digits, or null.
export function normaliseCpr(text) {
  const t = (text || '').trim();
  return /^\d{6}-?\d{4}$/.test(t) ? t.replace('-', '') : null;
}

// An other actor (anden aktør) names the municipality it acts for and its CVR number on every call (seed 000 § 6
// stk. 4; docs/pages.md "Other actors"): set by the page from what the server put in it and the user's choice.
let actingFor = null;
export function setOtherActor(municipality, cvr) { actingFor = { municipality, cvr }; }

// A GET or POST of the registry API for `cpr`: {status, body} (body parsed JSON, or null).
export async function api(path, cpr, options = {}) {
  const headers = { Accept: 'application/json' };
  if (cpr) headers['x-civilRegistrationIdentifier'] = cpr;
  if (actingFor) {
    headers['x-municipalityCode'] = actingFor.municipality;
    headers['x-cvrNumber'] = actingFor.cvr;
  }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.requestId) headers['x-requestId'] = options.requestId;
  const r = await fetch(path, {
    method: options.method || 'GET', headers, credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  let body = null;
  try { body = await r.json(); } catch { body = null; }
  return { status: r.status, body };
}

// A problem answer in Danish for the status line.
export function problemText(answer) {
  if (answer.status === 401) return t('common.401');
  if (answer.status === 403) return t('common.403');
  const title = answer.body && answer.body.title;
  return title ? `${title} (${answer.status})` : t('common.fejl', { status: answer.status });
}

export function element(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
