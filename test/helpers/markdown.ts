import fs from 'node:fs';
import path from 'node:path';

/** README.md and every Markdown file under docs/, README first, then docs/ in path order. */
export function docFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
      .filter((f) => f.endsWith('.md'));
  return ['README.md', ...walk('docs').sort()];
}

export interface FencedBlock {
  lang: string;
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The `<!-- walkthrough: … -->` comment on the line before the fence, if any. */
  marker?: string;
}

/** The fenced code blocks of a Markdown text, in order. */
export function fencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) break;
    const marker = /^<!--\s*walkthrough:\s*(.*?)\s*-->$/.exec(lines[i - 1] ?? '')?.[1];
    blocks.push({ lang: open[1] as string, body: lines.slice(i + 1, end).join('\n'), line: i + 1, marker });
    i = end;
  }
  return blocks;
}

/** Markdown with its fenced code blocks blanked out (links and code spans in prose only). */
export function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```\s*$/gm, (m) => m.replace(/[^\n]/g, ' '));
}
