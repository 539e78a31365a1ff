import { describe, expect, it } from 'vitest';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { issuesFromZod } from '../../shared/errors';

const base: UnifiedCustomerInput = { personType: 'company', name: { company: 'Stark Industries' } };

function parse(patch: Partial<UnifiedCustomerInput>) {
  const r = customerSchema.safeParse({ ...base, ...patch });
  return r.success
    ? { ok: true as const, data: r.data }
    : { ok: false as const, issues: issuesFromZod(r.error) };
}

const pointers = (patch: Partial<UnifiedCustomerInput>) => {
  const r = parse(patch);
  return r.ok ? [] : r.issues.map((i) => `${i.pointer} ${i.code}`);
};

describe('address geography at accept (422 with the pointer of the code)', () => {
  it('accepts DANE codes of one department and fills the department from the city', () => {
    const r = parse({ billingAddress: { lines: ['Calle 5 # 4-70'], cityCode: '19001', country: 'CO' } });
    expect(r.ok && r.data.billingAddress).toMatchObject({ stateCode: '19', cityCode: '19001' });
  });

  it('refuses a Colombian city outside the department, and unknown DANE codes, on either address', () => {
    expect(
      pointers({ billingAddress: { lines: ['x'], stateCode: '05', cityCode: '11001', country: 'CO' } }),
    ).toEqual(['/billingAddress/cityCode invalid']);
    expect(pointers({ shippingAddress: { lines: ['x'], cityCode: '11999', country: 'CO' } })).toEqual([
      '/shippingAddress/cityCode invalid',
    ]);
    expect(pointers({ billingAddress: { lines: ['x'], stateCode: '12', country: 'CO' } })).toEqual([
      '/billingAddress/stateCode invalid',
    ]);
  });

  it('refuses a state that is not of the country (the NetSuite "CA for GB" case) and a DANE code abroad', () => {
    expect(pointers({ billingAddress: { lines: ['x'], stateCode: 'CA', country: 'GB' } })).toEqual([
      '/billingAddress/stateCode invalid',
    ]);
    expect(pointers({ billingAddress: { lines: ['x'], stateCode: '11', country: 'US' } })).toEqual([
      '/billingAddress/stateCode invalid',
    ]);
  });

  it('accepts ISO 3166-2 codes with or without the country, lower case too, and stores the short form', () => {
    const r = parse({ billingAddress: { lines: ['1 Infinite Loop'], stateCode: 'us-ca', country: 'us' } });
    expect(r.ok && r.data.billingAddress?.stateCode).toBe('CA');
  });
});
