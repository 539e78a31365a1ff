/**
 * The connect page's own stylesheet and script, served by the connect function (no CDN, nothing inline, so the
 * page runs under `script-src 'self'; style-src 'self'`). The script only checks a form before it is sent, with
 * the rules the server derived from the same JSON Schema, and shows the messages in the page's language; the
 * page works without it (the server checks everything again with the zod schema).
 */
export const CONNECT_CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --accent: #0b5cad; --error: #b3261e; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f6f8fa; }
main { max-width: 34rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
p { margin: .5rem 0; }
.muted, .help { color: var(--muted); font-size: .9rem; }
ul.erps { list-style: none; padding: 0; margin: 1rem 0; display: grid; gap: .5rem; }
ul.erps a { display: block; padding: .75rem 1rem; border: 1px solid var(--line); border-radius: 6px; color: var(--fg); text-decoration: none; }
ul.erps a:hover, ul.erps a:focus { border-color: var(--accent); outline: none; box-shadow: 0 0 0 3px rgba(11,92,173,.25); }
.field { margin: 1rem 0; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input, select, textarea { width: 100%; font: inherit; padding: .5rem .6rem; border: 1px solid #8c959f; border-radius: 6px; }
textarea { min-height: 8rem; font-family: ui-monospace, monospace; font-size: .85rem; }
input:focus, select:focus, textarea:focus, button:focus { outline: 3px solid rgba(11,92,173,.45); outline-offset: 1px; }
[aria-invalid="true"] { border-color: var(--error); }
.error { color: var(--error); font-size: .9rem; margin: .25rem 0 0; }
.alert { border: 1px solid var(--error); color: var(--error); background: #fff5f5; padding: .75rem 1rem; border-radius: 6px; }
button { font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 6px; padding: .6rem 1.2rem; cursor: pointer; }
button[disabled] { opacity: .6; cursor: progress; }
details { margin-top: 1.5rem; }
summary { cursor: pointer; color: var(--accent); }
nav.lang { text-align: right; font-size: .9rem; }
a { color: var(--accent); }
`;

export const CONNECT_JS = `(function () {
  'use strict';
  function check(value, rule, m) {
    if (!value) return rule.required ? m.required : '';
    if (rule.minLength && value.length < rule.minLength) return rule.minLength > 1 ? m.tooShort.replace('{n}', rule.minLength) : m.required;
    if (rule.maxLength && value.length > rule.maxLength) return m.tooLong.replace('{n}', rule.maxLength);
    if (rule.format === 'email' && !/^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/.test(value)) return m.email;
    if (rule.pattern) {
      try { if (!new RegExp(rule.pattern).test(value)) return m.pattern; } catch (e) { /* the server decides */ }
    }
    return '';
  }
  var forms = document.querySelectorAll('form[data-validate]');
  Array.prototype.forEach.call(forms, function (form) {
    var data = form.querySelector('script.rules');
    if (!data) return;
    var spec = JSON.parse(data.textContent);
    form.addEventListener('submit', function (event) {
      var first = null;
      Object.keys(spec.fields).forEach(function (name) {
        var input = form.elements[name];
        if (!input) return;
        var message = check(String(input.value || '').trim(), spec.fields[name], spec.messages);
        var error = document.getElementById(form.id + '-e-' + name);
        if (message) {
          input.setAttribute('aria-invalid', 'true');
          if (error) { error.textContent = message; error.hidden = false; }
          if (!first) first = input;
        } else {
          input.removeAttribute('aria-invalid');
          if (error) { error.textContent = ''; error.hidden = true; }
        }
      });
      if (first) { event.preventDefault(); first.focus(); return; }
      var button = form.querySelector('button[type=submit]');
      if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true'); button.textContent = spec.messages.connecting; }
    });
  });
})();
`;
