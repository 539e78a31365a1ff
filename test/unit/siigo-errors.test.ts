import { describe, expect, it } from 'vitest';
import { customerSchema } from '../../shared/customer/schema';
import { failureFromResponse, parseSiigoErrors } from '../../shared/erps/siigo/errors';
import type { UpstreamResponse } from '../../shared/http/upstream';

const res = (status: number, json: unknown, headers: Record<string, string> = {}): UpstreamResponse => ({
  status,
  headers,
  json,
  text: JSON.stringify(json),
  latencyMs: 1,
});

const customer = customerSchema.parse({
  personType: 'company',
  name: { company: 'Stark Industries' },
  identification: { type: 'NIT', number: '900373913' },
  billingAddress: { lines: ['x'], cityCode: '11001', stateCode: '11', country: 'CO' },
  erpFields: { related_users: { seller_id: 1 } },
});

describe('Siigo error bodies', () => {
  it('parses Errors/Code and errors/code alike', () => {
    const upper = {
      Status: 400,
      Errors: [{ Code: 'invalid_email', Message: 'bad', Params: ['email'], Detail: 'd' }],
    };
    const lower = {
      status: 400,
      errors: [{ code: 'invalid_email', message: 'bad', params: ['email'], detail: 'd' }],
    };
    const expected = [{ code: 'invalid_email', message: 'bad', params: ['email'], detail: 'd' }];
    expect(parseSiigoErrors(upper)).toEqual(expected);
    expect(parseSiigoErrors(lower)).toEqual(expected);
    expect(parseSiigoErrors('<html>')).toEqual([]);
  });

  it('keeps the ERP code and message and points at the unified fields', () => {
    const out = failureFromResponse(
      res(400, {
        Status: 400,
        Errors: [
          {
            Code: 'invalid_reference',
            Message: 'The city code does not exist',
            Params: ['address.city.city_code'],
          },
          { Code: 'invalid_name', Message: 'Invalid name', Params: ['name'] },
          {
            Code: 'invalid_reference',
            Message: 'The user does not exist',
            Params: ['related_users.seller_id'],
          },
        ],
      }),
      { write: true, customer },
    );
    expect(out).toEqual({
      kind: 'invalid',
      upstream: {
        erp: 'siigo',
        status: 400,
        code: 'invalid_reference',
        message: 'The city code does not exist; Invalid name; The user does not exist',
      },
      details: [
        {
          pointer: '/billingAddress/cityCode',
          code: 'invalid_reference',
          message: 'The city code does not exist',
        },
        { pointer: '/name/company', code: 'invalid_name', message: 'Invalid name' },
        {
          pointer: '/erpFields/related_users',
          code: 'invalid_reference',
          message: 'The user does not exist',
        },
      ],
    });
  });

  it('classifies limits, auth and server errors', () => {
    const limit = { Status: 429, Errors: [{ Code: 'requests_limit', Message: 'slow down' }] };
    expect(failureFromResponse(res(429, limit), { write: true })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 60_000,
    });
    expect(failureFromResponse(res(429, limit, { 'retry-after': '12' }), { write: true })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 12_000,
    });
    expect(failureFromResponse(res(401, {}), { write: true }).kind).toBe('auth');
    expect(failureFromResponse(res(403, {}), { write: false }).kind).toBe('auth');
    expect(failureFromResponse(res(500, {}), { write: true }).kind).toBe('unknown');
    expect(failureFromResponse(res(408, {}), { write: true }).kind).toBe('unknown');
    expect(failureFromResponse(res(503, {}), { write: false }).kind).toBe('transient');
  });
});
