import { describe, expect, it } from 'vitest';
import { customerSchema } from '../../shared/customer/schema';
import { alegraRetryAfterMs, classifyFailure, parseAlegraError } from '../../shared/erps/alegra/errors';
import type { UpstreamResponse } from '../../shared/http/upstream';

const creds = { email: 'ops@acme.co', token: 'a1b2c3d4e5f6a7b8c9d0' };
const res = (status: number, json: unknown, headers: Record<string, string> = {}): UpstreamResponse => ({
  status,
  headers,
  text: json === undefined ? 'Service Unavailable' : JSON.stringify(json),
  json,
  latencyMs: 1,
});

describe('Alegra outcome classification', () => {
  it('parses bare, wrapped and non-JSON error bodies, with numeric codes as strings', () => {
    expect(parseAlegraError({ message: 'm', code: 905 }, '')).toEqual({ message: 'm', code: '905' });
    expect(parseAlegraError({ error: { message: 'w', code: 'X1' } }, '')).toEqual({
      message: 'w',
      code: 'X1',
    });
    expect(parseAlegraError(undefined, '<html>Bad Gateway</html>')).toEqual({
      message: '<html>Bad Gateway</html>',
    });
  });

  it('reads X-Rate-Limit-Reset as seconds, an epoch value as a time, and falls back to Retry-After', () => {
    const now = 1_700_000_000_000;
    expect(alegraRetryAfterMs(res(429, {}, { 'x-rate-limit-reset': '12' }), now)).toBe(12_000);
    expect(alegraRetryAfterMs(res(429, {}, { 'x-rate-limit-reset': '1700000030' }), now)).toBe(30_000);
    expect(alegraRetryAfterMs(res(429, {}, { 'retry-after': '5' }), now)).toBe(5_000);
    expect(alegraRetryAfterMs(res(429, {}), now)).toBeUndefined();
  });

  it('classifies duplicates only on creates, and maps 402 to auth', () => {
    const dup = res(400, { message: 'Ya existe un contacto con la identificación 900373913.', code: 905 });
    expect(classifyFailure(dup, { write: true, creds }).kind).toBe('duplicate');
    expect(classifyFailure(dup, { write: false, creds }).kind).toBe('invalid');
    expect(classifyFailure(res(402, { message: 'plan', code: 402 }), { write: true, creds }).kind).toBe(
      'auth',
    );
    expect(classifyFailure(res(404, { message: 'nope' }), { write: false, creds }).kind).toBe('invalid');
    expect(classifyFailure(res(408, undefined), { write: true, creds }).kind).toBe('unknown');
    expect(classifyFailure(res(502, undefined), { write: false, creds }).kind).toBe('transient');
  });

  it('points field errors from `details` and from the message at the unified body', () => {
    const customer = customerSchema.parse({
      personType: 'company',
      name: { company: 'X' },
      email: 'x@x.co',
      erpFields: { seller: { id: 'nope' } },
    });
    const out = classifyFailure(
      res(400, { message: 'email inválido', code: 1001, details: { seller: 'no existe el vendedor' } }),
      { write: true, creds, customer },
    );
    expect(out).toMatchObject({
      kind: 'invalid',
      details: [
        { pointer: '/erpFields/seller', code: 'alegra_1001', message: 'no existe el vendedor' },
        { pointer: '/email', code: 'alegra_1001', message: 'email inválido' },
      ],
    });
  });

  it('never carries a credential Alegra might echo', () => {
    const out = classifyFailure(res(401, { message: `Token ${creds.token} inválido para ${creds.email}` }), {
      write: true,
      creds,
    });
    expect(out.upstream.message).toBe('Token *** inválido para ***');
  });
});
