import { describe, expect, it } from 'vitest';
import { lookupUrl } from '../../shared/erps/next/adapter';
import { createOutcome, lookupOutcome } from '../../shared/erps/next/outcomes';
import type { UpstreamResponse } from '../../shared/http/upstream';

const res = (status: number, json?: unknown, headers: Record<string, string> = {}): UpstreamResponse => ({
  status,
  headers,
  json,
  text: json === undefined ? '' : JSON.stringify(json),
  latencyMs: 1,
});
const sources = { name: '/name/company', billaddress2: '/billingAddress/lines/0' };

describe('NEXT create outcomes', () => {
  it('200 + id → created with the id as a string; 200 without an id → unknown (look up)', () => {
    expect(createOutcome(res(200, { id: 1042, customerno: '001001' }), sources)).toEqual({
      kind: 'created',
      erpCustomerId: '1042',
    });
    expect(createOutcome(res(200, { customerno: '001001' }), sources).kind).toBe('unknown');
  });

  it('422 FastAPI detail list → invalid, each entry at the unified pointer its field came from', () => {
    const out = createOutcome(
      res(422, {
        detail: [
          {
            type: 'string_too_long',
            loc: ['body', 'billaddress2'],
            msg: 'String should have at most 50 characters',
            input: 'x',
          },
          { type: 'missing', loc: ['body', 'customertypeid'], msg: 'Field required' },
        ],
      }),
      sources,
    );
    expect(out).toEqual({
      kind: 'invalid',
      upstream: {
        erp: 'next',
        status: 422,
        code: 'string_too_long',
        message: 'billaddress2: String should have at most 50 characters; customertypeid: Field required',
      },
      details: [
        {
          pointer: '/billingAddress/lines/0',
          code: 'string_too_long',
          message: 'NEXT: String should have at most 50 characters',
        },
        { pointer: '/erpFields/customertypeid', code: 'missing', message: 'NEXT: Field required' },
      ],
    });
  });

  it('a 400 naming customerno as already existing → duplicate; other 400s → invalid', () => {
    expect(
      createOutcome(
        res(400, { detail: "The value 'K-1' in the field 'customerno' already exists." }),
        sources,
      ).kind,
    ).toBe('duplicate');
    expect(
      createOutcome(
        res(400, {
          detail:
            "The value '9' in the field 'billingtermsid' does not match a valid record in the BillingTerms endpoint.",
        }),
        sources,
      ),
    ).toMatchObject({ kind: 'invalid', details: [{ pointer: '/erpFields/billingtermsid' }] });
  });

  it('401 and 403 → auth with reauthorize; 429 without a hint → one second; 502 → unknown', () => {
    expect(createOutcome(res(401, { detail: 'Not authenticated' }), sources)).toMatchObject({
      kind: 'auth',
      reauthorize: true,
    });
    expect(createOutcome(res(403, { detail: 'access_denied' }), sources)).toMatchObject({
      kind: 'auth',
      reauthorize: true,
      upstream: { code: 'access_denied', message: 'access_denied' },
    });
    expect(createOutcome(res(429, { detail: 'Too Many Requests' }), sources)).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 1000,
    });
    expect(createOutcome(res(502), sources)).toMatchObject({
      kind: 'unknown',
      upstream: { message: 'HTTP 502' },
    });
  });
});

describe('NEXT look-up', () => {
  it('filters on the exact customerno with inactive customers included', () => {
    const url = new URL(lookupUrl('https://api.next-tech.com/v1', 'CRM 1/"x"'));
    expect(url.pathname).toBe('/v1/customer/');
    expect(JSON.parse(url.searchParams.get('filter_str') ?? '')).toEqual({
      customerno: 'CRM 1/"x"',
      active__in: ['true', 'false'],
    });
  });

  it('takes the oldest exact match and ignores looser matches', () => {
    const page = {
      items: [
        { id: 1200, customerno: 'K-1' },
        { id: 1100, customerno: 'K-1' },
        { id: 900, customerno: 'K-10' },
      ],
      total: 3,
      page: 1,
      size: 50,
    };
    const sent = { customerno: 'K-1', name: 'Nordbygg AS' };
    expect(lookupOutcome(res(200, page), sent)).toEqual({
      kind: 'found',
      erpCustomerId: '1100',
      provenBy: 'customerno',
    });
    expect(lookupOutcome(res(200, { items: [], total: 0, page: 1, size: 50 }), sent)).toEqual({
      kind: 'not_found',
    });
    expect(lookupOutcome(res(500), sent).kind).toBe('transient');
  });

  it('the holder of the number with another organisation number is another customer: conflict at /externalId', () => {
    // NEXT numbers customers itself (001234); a caller's externalId may be that very number.
    const page = { items: [{ id: 7, customerno: '001234', organizationno: '987654321' }], total: 1 };
    const sent = { customerno: '001234', organizationno: '912345678', email: 'post@nordbygg.no' };
    expect(lookupOutcome(res(200, page), sent)).toMatchObject({
      kind: 'conflict',
      pointer: '/externalId',
      existingId: '7',
    });
    // Of several holders, the one that carries this job's identity.
    const two = {
      items: [...page.items, { id: 9, customerno: '001234', organizationno: '912345678' }],
      total: 2,
    };
    expect(lookupOutcome(res(200, two), sent)).toMatchObject({ kind: 'found', erpCustomerId: '9' });
  });
});
