import { describe, expect, it } from 'vitest';
import { capture, findLeaks, registerSecrets, resetLeakGuard } from '../helpers/leak-guard';

// The harness itself must catch what it claims to catch (then it is reset so this file passes).
describe('leak guard', () => {
  it('finds a registered secret in any captured text, and Authorization headers', () => {
    registerSecrets({ username: 'me@x.co', accessKey: 'super-secret-key', nested: { token: 'tok_123456' } });
    capture('log', '{"level":"INFO","message":"calling","key":"super-secret-key"}');
    capture('response', '{"ok":true}');
    capture('record', '{"headers":{"authorization":"Bearer abc.def"}}');
    capture('queue message', 'nothing here tok_12345');
    const leaks = findLeaks();
    expect(leaks.map((l) => l.kind).sort()).toEqual(['log', 'record']);
    expect(JSON.stringify(leaks)).not.toContain('super-secret-key');
    resetLeakGuard();
    expect(findLeaks()).toEqual([]);
  });
});
