import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Issue 13 §5: the tests run on the Node that Lambda runs. `npm test` (and `npm start`, `.ci/run`) get Node 24
 * from the pinned `node` devDependency, which npm puts first on every script's PATH, whatever Node the machine has.
 * Started any other way (a globally installed vitest, `node_modules/.bin/vitest` from a Node 20 shell) this fails,
 * because then the tests prove nothing about `nodejs24.x`.
 */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('the Node the tests run on', () => {
  it('is the pinned node devDependency (an exact version)', () => {
    expect(pkg.devDependencies.node).toMatch(/^\d+\.\d+\.\d+$/);
    expect(process.version, 'run the tests through npm (npm test / npx vitest)').toBe(
      `v${pkg.devDependencies.node}`,
    );
  });

  it('is the major that engines and @types/node declare', () => {
    const major = process.versions.node.split('.')[0];
    expect(pkg.engines.node).toBe(`>=${major}`);
    expect(pkg.devDependencies['@types/node']?.split('.')[0]).toBe(major);
  });
});
