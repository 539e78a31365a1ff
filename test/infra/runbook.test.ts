import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUNBOOK, RUNBOOK_DOC } from '../../cdk/constructs/alarm-sink';
import { docAnchors } from './doc-anchors';

describe('the deploy guide (docs/deploy.md) is the runbook', () => {
  const anchors = docAnchors(RUNBOOK_DOC);

  it('has an entry for every runbook link an alarm can carry', () => {
    const missing = Object.values(RUNBOOK).filter((a) => !anchors.has(a));
    expect(missing).toEqual([]);
  });

  it('links only to its own headings, and the README links to it', () => {
    const doc = readFileSync(RUNBOOK_DOC, 'utf8');
    const internal = [...doc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(internal.length).toBeGreaterThan(10);
    expect(internal.filter((a) => !anchors.has(a!))).toEqual([]);
    expect(readFileSync('README.md', 'utf8')).toContain('(docs/deploy.md)');
  });
});
