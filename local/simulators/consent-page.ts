import type { SimResponse } from './kit';

/**
 * The consent pages of the OAuth simulators (QuickBooks' app center, NetSuite's authorize.nl): plain HTML forms a
 * person — or a headless browser in a test — can read and click through. They stand for the vendor's pages only
 * as far as the protocol goes: what is asked (a company, allow or deny) and where the browser is sent after.
 */
export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export interface ConsentPage {
  title: string;
  /** What the app asks for, in one sentence. */
  request: string;
  /** Where the form posts (the simulator's own consent endpoint). */
  action: string;
  /** The authorize request's parameters, carried through the form. */
  carry: Record<string, string>;
  /** Optional choice the user makes (QuickBooks: which company). */
  choices?: { name: string; legend: string; options: { value: string; label: string }[] };
}

export function consentPage(p: ConsentPage): SimResponse {
  const hidden = Object.entries(p.carry)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n    ');
  const choices = p.choices
    ? `<fieldset><legend>${escapeHtml(p.choices.legend)}</legend>
      ${p.choices.options
        .map(
          (o, i) =>
            `<label><input type="radio" name="${escapeHtml(p.choices?.name ?? '')}" value="${escapeHtml(o.value)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(o.label)}</label><br>`,
        )
        .join('\n      ')}
    </fieldset>`
    : '';
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(p.title)}</title></head>
<body>
  <main>
  <h1>${escapeHtml(p.title)}</h1>
  <p>${escapeHtml(p.request)}</p>
  <form method="post" action="${escapeHtml(p.action)}">
    ${hidden}
    ${choices}
    <button type="submit" name="decision" value="allow">Connect</button>
    <button type="submit" name="decision" value="deny">Cancel</button>
  </form>
  </main>
</body>
</html>
`,
  };
}

/** An error the vendor shows itself instead of redirecting (an unregistered redirect URI, an unknown client). */
export function consentError(message: string): SimResponse {
  return {
    status: 400,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>Error</h1><p>${escapeHtml(message)}</p></body></html>`,
  };
}

/** The redirect back to the app: `redirect_uri` with the given parameters added to its query. */
export function redirectTo(redirectUri: string, params: Record<string, string>): SimResponse {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { status: 302, headers: { location: url.href, 'cache-control': 'no-store' } };
}
