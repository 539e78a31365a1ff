import { describe, expect, it } from 'vitest';
import { customerSchema } from '../../shared/customer/schema';
import { createOutcome, lookupOutcome } from '../../shared/erps/chargeover/outcomes';
import type { UpstreamResponse } from '../../shared/http/upstream';

const res = (status: number, json: unknown, headers: Record<string, string> = {}): UpstreamResponse => ({
  status,
  headers,
  text: json === undefined ? '' : JSON.stringify(json),
  json,
  latencyMs: 1,
});
const envelope = (code: number, message: string, response: unknown = false) => ({
  code,
  status: code < 300 ? 'OK' : 'Error',
  message,
  details: {},
  response,
});
const customer = customerSchema.parse({
  personType: 'company',
  name: { company: 'Stark' },
  billingAddress: { lines: ['x'], country: 'CO' },
  erpFields: { custom_2: 'y' },
});
const NOW = 1_700_000_000_000;

describe('ChargeOver create outcomes', () => {
  it('201: the id from response.id, else from Location', () => {
    expect(createOutcome(res(201, envelope(201, '', { id: 1234 })), customer, NOW)).toEqual({
      kind: 'created',
      erpCustomerId: '1234',
    });
    const noBody = res(201, undefined, { location: 'https://acme.chargeover.com/api/v3/customer/77' });
    expect(createOutcome(noBody, customer, NOW)).toEqual({ kind: 'created', erpCustomerId: '77' });
  });

  it('2xx without any id is unknown (the look-up will find it), never a silent success', () => {
    expect(createOutcome(res(201, envelope(201, '', true)), customer, NOW).kind).toBe('unknown');
  });

  it('a taken external key is a duplicate, as a 400 naming the key or as a 409', () => {
    const dup400 = createOutcome(
      res(400, envelope(400, 'A customer with external key "K-1" already exists.')),
      customer,
      NOW,
    );
    expect(dup400).toMatchObject({
      kind: 'duplicate',
      upstream: { erp: 'chargeover', status: 400, code: '400' },
    });
    expect(createOutcome(res(409, envelope(409, 'Conflict')), customer, NOW).kind).toBe('duplicate');
  });

  it('the generic 400 is invalid with the ERP message and no guessed details', () => {
    const o = createOutcome(res(400, envelope(400, 'Missing or invalid parameter.')), customer, NOW);
    expect(o).toEqual({
      kind: 'invalid',
      upstream: { erp: 'chargeover', status: 400, code: '400', message: 'Missing or invalid parameter.' },
    });
  });

  it('a 400 naming native fields points at the unified field or the caller erpFields', () => {
    const o = createOutcome(
      res(400, envelope(400, 'Invalid value for bill_country and custom_2.')),
      customer,
      NOW,
    );
    expect(o.kind === 'invalid' && o.details?.map((d) => d.pointer)).toEqual([
      '/billingAddress/country',
      '/erpFields/custom_2',
    ]);
  });

  it('401 is auth, 429 is rate_limited with Retry-After, 5xx on a create is unknown', () => {
    expect(
      createOutcome(res(401, envelope(401, 'Invalid or incorrect authorization')), customer, NOW).kind,
    ).toBe('auth');
    expect(
      createOutcome(res(429, envelope(429, 'Too many'), { 'retry-after': '7' }), customer, NOW),
    ).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7000,
    });
    expect(createOutcome(res(500, undefined), customer, NOW)).toMatchObject({
      kind: 'unknown',
      upstream: { status: 500, message: 'HTTP 500' },
    });
  });
});

describe('ChargeOver look-up outcomes', () => {
  const sent = (external_key: string, more: Record<string, string> = {}) => ({
    company: 'Stark',
    external_key,
    ...more,
  });

  it('finds the row whose external_key matches exactly, by customer_id', () => {
    const rows = [
      { customer_id: 5, external_key: 'crm-1' },
      { customer_id: 6, external_key: 'CRM-1' },
    ];
    expect(lookupOutcome(res(200, envelope(200, '', rows)), sent('CRM-1'), NOW)).toEqual({
      kind: 'found',
      erpCustomerId: '6',
      provenBy: 'external_key',
    });
    expect(lookupOutcome(res(200, envelope(200, '', [])), sent('CRM-1'), NOW)).toEqual({ kind: 'not_found' });
  });

  it('the key’s holder with another tax id is another customer: conflict at /externalId', () => {
    const rows = [{ customer_id: 7, external_key: 'CRM-7', tax_ident: '800.111.222-3' }];
    expect(
      lookupOutcome(res(200, envelope(200, '', rows)), sent('CRM-7', { tax_ident: '900373913-4' }), NOW),
    ).toMatchObject({ kind: 'conflict', pointer: '/externalId', existingId: '7' });
    // The same tax id written another way is the same customer.
    expect(
      lookupOutcome(res(200, envelope(200, '', rows)), sent('CRM-7', { tax_ident: '800111222-3' }), NOW),
    ).toEqual({ kind: 'found', erpCustomerId: '7', provenBy: 'external_key, tax_ident' });
  });

  it('a 5xx on a read is transient', () => {
    expect(lookupOutcome(res(503, undefined), sent('k'), NOW).kind).toBe('transient');
  });
});
