import { describe, expect, it } from 'vitest';
import { nitCheckDigit } from '../../shared/customer/nit';
import { customerSchema } from '../../shared/customer/schema';
import { issuesFromZod } from '../../shared/errors';

// Vectors from ../shared/erp/colombia-nit.md (DIAN módulo 11), including both r<2 branches.
const NIT_VECTORS: [string, number][] = [
  ['900373913', 4],
  ['213123435', 1],
  ['860069804', 2],
  ['800197268', 4],
  ['901487064', 1],
  ['13832081', 4],
  ['830037248', 0],
  ['890903938', 8],
  ['899999068', 1],
];

const company = {
  personType: 'company',
  name: { company: 'Stark Industries' },
  identification: { type: 'NIT', number: '900373913' },
  email: 'billing@stark.co',
  billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'co' },
};

function problems(input: unknown) {
  const r = customerSchema.safeParse(input);
  return r.success ? [] : issuesFromZod(r.error);
}

describe('NIT check digit', () => {
  it.each(NIT_VECTORS)('%s has DV %i', (nit, dv) => {
    expect(nitCheckDigit(nit)).toBe(dv);
  });

  it('rejects anything but 1-15 digits', () => {
    expect(() => nitCheckDigit('9003a3913')).toThrow(RangeError);
    expect(() => nitCheckDigit('1234567890123456')).toThrow(RangeError);
  });
});

describe('unified customer schema', () => {
  it('computes the NIT check digit when it is missing and normalises codes', () => {
    const c = customerSchema.parse({ ...company, identification: { type: 'NIT', number: '900.373.913' } });
    expect(c.identification).toEqual({ type: 'NIT', number: '900373913', checkDigit: '4', country: 'CO' });
    expect(c.billingAddress?.country).toBe('CO');
    expect(c.type).toBe('customer');
    expect(c.active).toBe(true);
  });

  it('accepts a DV written after a hyphen', () => {
    const c = customerSchema.parse({ ...company, identification: { type: 'NIT', number: '890903938-8' } });
    expect(c.identification).toMatchObject({ number: '890903938', checkDigit: '8' });
  });

  it.each(NIT_VECTORS)('accepts %s with its correct DV %i', (nit, dv) => {
    expect(
      problems({ ...company, identification: { type: 'NIT', number: nit, checkDigit: String(dv) } }),
    ).toEqual([]);
  });

  it('rejects a wrong check digit at /identification/checkDigit', () => {
    const p = problems({ ...company, identification: { type: 'NIT', number: '900373913', checkDigit: '5' } });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ pointer: '/identification/checkDigit' });
    expect(p[0]?.message).toContain('DV 4');
  });

  it('names each unknown top-level field', () => {
    const p = problems({ ...company, nombre: 'x', telefono: '1' });
    expect(p.map((i) => [i.pointer, i.code])).toEqual([
      ['/nombre', 'unknown_field'],
      ['/telefono', 'unknown_field'],
    ]);
  });

  it('names unknown nested fields too', () => {
    const p = problems({ ...company, billingAddress: { ...company.billingAddress, ciudad: 'Bogotá' } });
    expect(p).toEqual([
      { pointer: '/billingAddress/ciudad', code: 'unknown_field', message: 'unknown field "ciudad"' },
    ]);
  });

  it('requires personType and the names that go with it', () => {
    expect(problems({ name: { company: 'x' } }).map((i) => i.pointer)).toContain('/personType');
    expect(problems({ ...company, name: {} }).map((i) => i.pointer)).toEqual(['/name/company']);
    expect(problems({ personType: 'person', name: { first: 'Marcos' } }).map((i) => i.pointer)).toEqual([
      '/name/last',
    ]);
  });

  it('enforces ISO country and currency codes', () => {
    const p = problems({
      ...company,
      currency: 'XYZ',
      billingAddress: { ...company.billingAddress, country: 'ZZ' },
    });
    expect(p.map((i) => i.pointer).sort()).toEqual(['/billingAddress/country', '/currency']);
    expect(problems({ ...company, currency: 'cop' })).toEqual([]);
  });

  it('enforces length limits with the field named', () => {
    const p = problems({ ...company, notes: 'x'.repeat(4001), name: { company: 'y'.repeat(251) } });
    expect(p.map((i) => i.pointer).sort()).toEqual(['/name/company', '/notes']);
  });

  it('rejects bad emails, phones and too many contacts', () => {
    const p = problems({
      ...company,
      email: 'not-an-email',
      phones: [{ number: '300-600 ext' }],
      contacts: Array.from({ length: 21 }, () => ({ firstName: 'A' })),
    });
    expect(p.map((i) => i.pointer).sort()).toEqual(['/contacts', '/email', '/phones/0/number']);
  });

  it('keeps erpFields as given', () => {
    const c = customerSchema.parse({ ...company, erpFields: { related_users: { seller_id: 629 } } });
    expect(c.erpFields).toEqual({ related_users: { seller_id: 629 } });
  });
});
