import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docFiles, fencedBlocks, prose } from '../helpers/markdown';

/**
 * Issue 17 §1: the docs stand alone. Every relative link in README.md and docs/**.md resolves to a file of the
 * repository (and a #fragment to one of its headings), and no doc names a path outside the repository: not in
 * a link, not in a code span, not in a code block (`../shared/erp/…` and DESIGN.md are reference material
 * beside the checkout; the facts a reader needs are carried into docs/ with their vendor sources).
 */
const ROOT = path.resolve('.');
const inRepo = (p: string) => p === ROOT || p.startsWith(`${ROOT}${path.sep}`);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(markdown).split('\n')) {
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (!h) continue;
    const base = (h[1] as string)
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

const docs = docFiles().map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

describe('README.md and docs/ stand alone', () => {
  it('every relative link resolves to a file of the repository, and every #fragment to a heading', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const { file, text } of docs) {
      for (const m of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1] as string;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        checked++;
        const [rel, fragment] = target.split('#') as [string, string | undefined];
        const abs = rel ? path.resolve(path.dirname(file), rel) : path.resolve(file);
        if (!inRepo(abs) || !fs.existsSync(abs)) {
          broken.push(`${file}: ${target} (no such file in the repository)`);
          continue;
        }
        if (fragment && abs.endsWith('.md') && !anchors(fs.readFileSync(abs, 'utf8')).has(fragment)) {
          broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    expect(checked).toBeGreaterThan(15);
    expect(broken).toEqual([]);
  });

  it('no doc names a path outside the repository (links, code spans, code blocks)', () => {
    const outside: string[] = [];
    for (const { file, text } of docs) {
      const spans = [...prose(text).matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string);
      const code = fencedBlocks(text).flatMap((b) => b.body.split(/\s+/));
      for (const token of [...spans, ...code]) {
        const up = /(?:^|[\s'"(=])((?:\.\.\/)+[^\s'"`),]*)/.exec(` ${token}`)?.[1];
        if (up) {
          const abs = path.resolve(path.dirname(file), up);
          if (!inRepo(abs) || !fs.existsSync(abs)) outside.push(`${file}: ${up}`);
        }
        if (/(^|[^.\w])\/work\/|DESIGN(\.md| §)|shared\/(erp|seeds)\//.test(token))
          outside.push(`${file}: ${token}`);
      }
      for (const m of prose(text).matchAll(/DESIGN(\.md| §\s*\d)/g)) outside.push(`${file}: ${m[0]}`);
    }
    expect([...new Set(outside)]).toEqual([]);
  });
});
