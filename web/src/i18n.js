// The pages' language (docs/statistics.md, docs/pages.md): Danish by default, English when the URL says
// `lang=en`. Labels are data (labels.json: key → {da, en}); a page marks its static texts with data-t (text) and
// data-t-aria (aria-label) and calls translatePage(); #sprog, when present, links to the other language with the
// rest of the URL kept.
import labels from './labels.json';

export const lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'da';
export const locale = lang === 'en' ? 'en-GB' : 'da-DK';

// A label in the page's language, with {name} placeholders filled from `vars`.
export function t(key, vars = {}) {
  const entry = labels[key] || {};
  const text = entry[lang] ?? entry.da ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));
}

// A name the API gives in Danish: its English label (labels.json `${kind}.${id}`) when the page is in English.
export function named(kind, id, danish) { return lang === 'da' ? danish : (labels[`${kind}.${id}`] || {}).en || danish; }

// The link to the other language, keeping the rest of the query string.
export function languageLink() {
  const link = document.getElementById('sprog');
  if (!link) return;
  const q = new URLSearchParams(location.search);
  if (lang === 'en') q.delete('lang'); else q.set('lang', 'en');
  const query = q.toString();
  link.href = `${location.pathname}${query ? `?${query}` : ''}`;
}

// The static texts of the page in its language, and the language link.
export function translatePage(titleKey) {
  document.documentElement.lang = lang;
  if (titleKey) document.title = t(titleKey);
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll('[data-t-aria]')) el.setAttribute('aria-label', t(el.dataset.tAria));
  const link = document.getElementById('sprog');
  if (link) {
    const other = lang === 'en' ? 'da' : 'en';
    link.textContent = t('sprog');
    link.lang = other;
    link.hreflang = other;
  }
  languageLink();
}
