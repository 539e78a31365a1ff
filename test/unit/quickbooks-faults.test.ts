import { describe, expect, it } from 'vitest';
import { duplicateIdFrom, hasCode, parseFault } from '../../shared/erps/quickbooks/faults';
import { failureFromResponse, lengthFault } from '../../shared/erps/quickbooks/outcomes';
import type { UpstreamResponse } from '../../shared/http/upstream';

const res = (status: number, text: string, headers: Record<string, string> = {}): UpstreamResponse => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, text, json, headers, latencyMs: 1 };
};

const DUP_JSON = JSON.stringify({
  Fault: {
    Error: [
      {
        Message: 'Duplicate Name Exists Error',
        Detail: 'The name supplied already exists. : Id=123',
        code: '6240',
        element: '',
      },
    ],
    type: 'ValidationFault',
  },
  time: '2024-01-01T10:00:00.000-07:00',
});
// Verbatim shape of intuit/QuickBooks-V3-PHP-SDK issue #241.
const DUP_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="2019-01-22T08:49:02.522-08:00"><Fault type="ValidationFault"><Error code="6240" element=""><Message>Duplicate Name Exists Error</Message><Detail>The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.</Detail></Error></Fault></IntuitResponse>`;

describe('QuickBooks Fault parsing', () => {
  it('reads JSON faults and the existing Id of a 6240', () => {
    const f = parseFault(res(400, DUP_JSON));
    expect(f).toEqual({
      type: 'ValidationFault',
      errors: [
        {
          code: '6240',
          message: 'Duplicate Name Exists Error',
          detail: 'The name supplied already exists. : Id=123',
          element: '',
        },
      ],
    });
    expect(hasCode(f, '6240')).toBe(true);
    expect(duplicateIdFrom(f)).toBe('123');
  });

  it('reads XML faults (the older 6240 text carries no Id)', () => {
    const f = parseFault(res(400, DUP_XML));
    expect(f?.type).toBe('ValidationFault');
    expect(f?.errors[0]?.code).toBe('6240');
    expect(f?.errors[0]?.detail).toContain('Another customer, vendor or employee');
    expect(duplicateIdFrom(f)).toBeUndefined();
  });

  it('reads the lower-case 401 fault and recognises 003200-style codes', () => {
    const f = parseFault(
      res(
        401,
        JSON.stringify({
          fault: {
            error: [
              {
                message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
                detail: 'Token expired',
                code: '003200',
              },
            ],
            type: 'AUTHENTICATION',
          },
        }),
      ),
    );
    expect(hasCode(f, '3200')).toBe(true);
  });
});

describe('QuickBooks response classification', () => {
  it('429 / 3001 → rate_limited, 60 s without a hint, Retry-After when given', () => {
    const throttle = JSON.stringify({
      Fault: {
        Error: [
          {
            Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
            Detail: 'The request limit was reached.',
            code: '3001',
          },
        ],
        type: 'SERVICE',
      },
    });
    expect(failureFromResponse(res(429, throttle), { write: true })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 60_000,
      upstream: { code: '3001', status: 429 },
    });
    expect(failureFromResponse(res(429, throttle, { 'retry-after': '7' }), { write: true })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7000,
    });
  });

  it('validation faults → invalid with the element mapped to the unified pointer', () => {
    const body = JSON.stringify({
      Fault: {
        Error: [
          {
            Message: 'String length is either shorter or longer than supported by specification',
            Detail: 'Max:15 supplied:20',
            code: '2050',
            element: 'FamilyName',
          },
        ],
        type: 'ValidationFault',
      },
    });
    const out = failureFromResponse(res(400, body), {
      write: true,
      sources: new Map([['FamilyName', '/name/last']]),
    });
    expect(out).toEqual({
      kind: 'invalid',
      upstream: {
        erp: 'quickbooks',
        status: 400,
        code: '2050',
        message:
          'String length is either shorter or longer than supported by specification: Max:15 supplied:20',
      },
      details: [{ pointer: '/name/last', code: 'quickbooks_2050', message: 'Max:15 supplied:20' }],
    });
  });

  it('5xx → unknown on a create, transient on a read; 403 → auth', () => {
    expect(failureFromResponse(res(503, ''), { write: true }).kind).toBe('unknown');
    expect(failureFromResponse(res(503, ''), { write: false }).kind).toBe('transient');
    expect(failureFromResponse(res(403, '{}'), { write: true }).kind).toBe('auth');
  });
});

describe('QuickBooks 2050 length faults', () => {
  it('reads the lengths of the live Detail texts (thousands separators, with and without "length")', () => {
    expect(
      lengthFault(
        'String length specified does not match the supported length. Min:0 Max:4,000 supported. Supplied length: 4,006',
      ),
    ).toEqual({ max: 4000, supplied: 4006 });
    expect(
      lengthFault(
        'String length specified does not match the supported length. Min:0 Max:50 supported. Supplied length:51',
      ),
    ).toEqual({ max: 50, supplied: 51 });
    expect(lengthFault('Something else')).toBeUndefined();
  });

  it('a 2050 without element is placed by its supplied length; with an element, by the element', () => {
    const body = { DisplayName: 'A'.repeat(51), CompanyName: 'A'.repeat(51), BillAddr: { City: 'Bogotá' } };
    const sources = new Map([
      ['DisplayName', '/name/company'],
      ['CompanyName', '/name/company'],
      ['BillAddr.City', '/billingAddress/city'],
    ]);
    const fault = (element: string) =>
      JSON.stringify({
        Fault: {
          Error: [
            {
              Message: 'String length is either shorter or longer than supported by specification',
              Detail:
                'String length specified does not match the supported length. Min:0 Max:50 supported. Supplied length:51',
              code: '2050',
              element,
            },
          ],
          type: 'ValidationFault',
        },
      });
    expect(failureFromResponse(res(400, fault('')), { write: true, sources, body })).toMatchObject({
      kind: 'invalid',
      details: [{ pointer: '/name/company', code: 'quickbooks_2050' }],
    });
    expect(
      failureFromResponse(res(400, fault('Customer.BillAddr.City')), { write: true, sources, body }),
    ).toMatchObject({ kind: 'invalid', details: [{ pointer: '/billingAddress/city' }] });
    // Nothing of that length: still invalid, without a guessed pointer.
    const none = failureFromResponse(res(400, fault('')), {
      write: true,
      sources,
      body: { DisplayName: 'x' },
    });
    expect(none).toMatchObject({ kind: 'invalid', upstream: { code: '2050' } });
    expect(none).not.toHaveProperty('details');
  });
});
