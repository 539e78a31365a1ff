import { describe, expect, it } from 'vitest';
import { idFromLocation } from '../../shared/erps/netsuite/adapter';
import { failureFromResponse, parseNetSuiteErrors } from '../../shared/erps/netsuite/errors';
import type { UpstreamResponse } from '../../shared/http/upstream';

const res = (status: number, json?: unknown, headers: Record<string, string> = {}): UpstreamResponse => ({
  status,
  headers,
  json,
  text: json === undefined ? '' : JSON.stringify(json),
  latencyMs: 1,
});
const nsBody = (status: number, code: string, detail: string, path?: string) => ({
  type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1',
  title: 'Bad Request',
  status,
  'o:errorDetails': [{ detail, 'o:errorCode': code, ...(path ? { 'o:errorPath': path } : {}) }],
});

describe('NetSuite Location → id', () => {
  it('takes the last path segment when it is an internal id', () => {
    expect(
      idFromLocation('https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer/647'),
    ).toBe('647');
    expect(idFromLocation('/services/rest/record/v1/customer/12?x=1')).toBe('12');
  });
  it('refuses anything else (an async job URL is not a customer id)', () => {
    expect(idFromLocation(undefined)).toBeUndefined();
    expect(idFromLocation('https://h/services/rest/record/v1/customer/eid:X')).toBeUndefined();
  });
});

describe('NetSuite error classification', () => {
  it('reads o:errorDetails tolerantly', () => {
    expect(parseNetSuiteErrors(nsBody(400, 'INVALID_CONTENT', 'bad', 'item.items[0].item'))).toEqual([
      { detail: 'bad', code: 'INVALID_CONTENT', path: 'item.items[0].item' },
    ]);
    expect(parseNetSuiteErrors('<html>')).toEqual([]);
    expect(parseNetSuiteErrors({ 'o:errorDetails': [null, { message: 'm' }] })).toEqual([
      { detail: 'm', code: undefined, path: undefined },
    ]);
  });

  it.each([
    [
      'USER_ERROR',
      'Error while accessing a resource. A customer record with this ID already exists. You must enter a unique customer ID for each record you create.',
    ],
    ['DUP_ENTITY', 'This entity already exists.'],
    ['UNIQUE_CUST_ID_REQD', 'x'],
  ])('400 %s → duplicate', (code, detail) => {
    expect(failureFromResponse(res(400, nsBody(400, code, detail)), { write: true }).kind).toBe('duplicate');
  });

  it('400 validation → invalid, with the mapped pointer and the ERP code and message kept', () => {
    const pointers = new Map([['companyName', '/name/company']]);
    const out = failureFromResponse(res(400, nsBody(400, 'INVALID_CONTENT', 'too long', 'companyName')), {
      write: true,
      pointers,
    });
    expect(out).toEqual({
      kind: 'invalid',
      upstream: { erp: 'netsuite', status: 400, code: 'INVALID_CONTENT', message: 'too long' },
      details: [{ pointer: '/name/company', code: 'INVALID_CONTENT', message: 'too long' }],
    });
  });

  it('401/403 → auth; 429 and concurrency codes → rate_limited', () => {
    expect(
      failureFromResponse(res(401, nsBody(401, 'INVALID_LOGIN', 'Invalid login attempt.')), { write: true })
        .kind,
    ).toBe('auth');
    expect(
      failureFromResponse(res(403, nsBody(403, 'INSUFFICIENT_PERMISSION', 'no')), { write: false }).kind,
    ).toBe('auth');
    expect(failureFromResponse(res(429, undefined, { 'retry-after': '3' }), { write: true })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 3000,
    });
    expect(failureFromResponse(res(429, undefined), { write: true })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: undefined,
    });
    expect(
      failureFromResponse(res(400, nsBody(400, 'SSS_REQUEST_LIMIT_EXCEEDED', 'limit')), { write: true }).kind,
    ).toBe('rate_limited');
  });

  it('5xx/408 → unknown on a create, transient on a read', () => {
    expect(failureFromResponse(res(500, nsBody(500, 'UNEXPECTED_ERROR', 'x')), { write: true }).kind).toBe(
      'unknown',
    );
    expect(failureFromResponse(res(408), { write: true }).kind).toBe('unknown');
    expect(failureFromResponse(res(502, undefined), { write: false }).kind).toBe('transient');
  });
});
