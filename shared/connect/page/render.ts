import type * as z from 'zod';
import type { ErpAdapter } from '../../erps/types';
import type { Locale } from '../session';
import { type FormField, formFields } from './fields';
import { MESSAGES, type Messages } from './messages';

/** HTML text and attribute escaping (every value that reaches the page passes here). */
export const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** JSON inside `<script type="application/json">`: `<` escaped so no value can close the element. */
const jsonData = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

export interface PageOptions {
  locale: Locale;
  title: string;
  /** The same page in the other language. */
  switchHref?: string;
}

export function layout(o: PageOptions, inner: string): string {
  const m = MESSAGES[o.locale];
  const other = o.locale === 'es' ? 'en' : 'es';
  const lang = o.switchHref
    ? `<nav class="lang" aria-label="${o.locale === 'es' ? 'Idioma' : 'Language'}"><a href="${esc(o.switchHref)}" hreflang="${other}" lang="${other}">${esc(m.language)}</a></nav>`
    : '';
  return `<!doctype html>
<html lang="${o.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(o.title)}</title>
<link rel="stylesheet" href="/connect/assets/connect.css">
</head>
<body>
<main>
${lang}
${inner}
</main>
<script src="/connect/assets/connect.js"></script>
</body>
</html>
`;
}

export function messagePage(
  o: PageOptions,
  heading: string,
  text: string,
  link?: { href: string; label: string },
) {
  return layout(
    { ...o, title: heading },
    `<h1>${esc(heading)}</h1>
<p>${esc(text)}</p>
${link ? `<p><a href="${esc(link.href)}">${esc(link.label)}</a></p>` : ''}`,
  );
}

/** The ERPs a session offers, as links to each one's form or consent button. */
export function listPage(o: PageOptions, base: string, adapters: ErpAdapter<unknown>[]) {
  const m = MESSAGES[o.locale];
  const items = adapters
    .map((a) => `<li><a href="${esc(`${base}?erp=${a.id}&lang=${o.locale}`)}">${esc(a.displayName)}</a></li>`)
    .join('\n');
  return layout(
    { ...o, title: m.title },
    `<h1>${esc(m.title)}</h1>
<p>${esc(m.intro)}</p>
<h2 id="erps-heading">${esc(m.choose)}</h2>
<ul class="erps" aria-labelledby="erps-heading">
${items}
</ul>`,
  );
}

export interface FormState {
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

function fieldHtml(formId: string, f: FormField, state: FormState, optional: string): string {
  const id = `${formId}-${f.name}`;
  const errorId = `${formId}-e-${f.name}`;
  const helpId = `${formId}-h-${f.name}`;
  const error = state.errors?.[f.name];
  // A secret is never written back into the page, even after a refused attempt.
  const value = f.secret ? '' : (state.values?.[f.name] ?? f.default ?? '');
  const attrs = [
    `id="${id}"`,
    `name="${esc(f.name)}"`,
    `aria-describedby="${f.help ? `${helpId} ` : ''}${errorId}"`,
    f.required ? 'required aria-required="true"' : '',
    error ? 'aria-invalid="true"' : '',
    f.rules.maxLength ? `maxlength="${f.rules.maxLength}"` : '',
    'autocomplete="off"',
    'spellcheck="false"',
  ]
    .filter(Boolean)
    .join(' ');
  const control =
    f.input === 'select'
      ? `<select ${attrs}>${(f.options ?? [])
          .map((o) => `<option${o === value ? ' selected' : ''}>${esc(o)}</option>`)
          .join('')}</select>`
      : f.input === 'textarea'
        ? `<textarea ${attrs}>${esc(value)}</textarea>`
        : `<input type="${f.input}" ${attrs} value="${esc(value)}">`;
  return `<div class="field">
  <label for="${id}">${esc(f.label)}${f.required ? '' : ` <span class="muted">(${esc(optional)})</span>`}</label>
  ${control}
  ${f.help ? `<p class="help" id="${helpId}">${esc(f.help)}</p>` : ''}
  <p class="error" id="${errorId}"${error ? '' : ' hidden'}>${esc(error ?? '')}</p>
</div>`;
}

/** The client-side rules and messages of one form (the same rules the JSON Schema states). */
function rulesJson(fields: FormField[], m: Messages) {
  return jsonData({
    fields: Object.fromEntries(fields.map((f) => [f.name, f.rules])),
    messages: {
      required: m.required,
      tooShort: m.tooShort(0).replace('0', '{n}'),
      tooLong: m.tooLong(0).replace('0', '{n}'),
      pattern: m.pattern,
      email: m.email,
      connecting: m.connecting,
    },
  });
}

/** A form whose fields come from a zod schema (credentials, or the fields asked before an OAuth redirect). */
export function schemaForm(p: {
  id: string;
  locale: Locale;
  action: string;
  schema: z.ZodType;
  button: string;
  state?: FormState;
}): string {
  const m = MESSAGES[p.locale];
  const fields = formFields(p.schema, p.locale);
  const optional = p.locale === 'es' ? 'opcional' : 'optional';
  return `<form id="${p.id}" method="post" action="${esc(p.action)}" novalidate data-validate>
<input type="hidden" name="lang" value="${p.locale}">
${fields.map((f) => fieldHtml(p.id, f, p.state ?? {}, optional)).join('\n')}
<script type="application/json" class="rules">${rulesJson(fields, m)}</script>
<button type="submit">${esc(p.button)}</button>
</form>`;
}

/** A button that starts an OAuth consent (a form, so the start is a POST and carries the page's language). */
export function oauthButton(p: { id: string; locale: Locale; action: string; label: string }): string {
  return `<form id="${p.id}" method="post" action="${esc(p.action)}">
<input type="hidden" name="lang" value="${p.locale}">
<button type="submit">${esc(p.label)}</button>
</form>`;
}

/** An alert at the top of a form: the ERP's own words when it refused, or what to fix. */
export const alertBox = (text: string) => `<div class="alert" role="alert">${esc(text)}</div>`;
