import { z } from 'zod';
import { normalizeGeography } from '../geo/address';
import { COUNTRY_CODES, CURRENCY_CODES, FISCAL_RESPONSIBILITIES, ID_TYPES } from './codes';
import { nitCheckDigit, normalizeNit } from './nit';

/** The largest body the API accepts for one customer (DESIGN §1). */
export const MAX_CUSTOMER_BYTES = 64 * 1024;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const digits = (max: number) =>
  z.string().trim().regex(/^\d+$/, 'digits only').max(max, `at most ${max} digits`);

const countryCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => COUNTRY_CODES.has(v), { message: 'must be an ISO 3166-1 alpha-2 country code, e.g. CO' });

const currencyCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => CURRENCY_CODES.has(v), { message: 'must be an ISO 4217 currency code, e.g. COP' });

export const phoneSchema = z.strictObject({
  kind: z.enum(['primary', 'mobile', 'fax', 'other']).default('primary'),
  countryCode: digits(4).optional(),
  number: digits(20),
  extension: digits(10).optional(),
});

export const addressSchema = z.strictObject({
  lines: z.array(text(256)).min(1, 'at least one address line').max(5, 'at most 5 lines'),
  city: text(100).optional(),
  cityCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,10}$/, 'letters, digits and - only, at most 10')
    .optional(),
  state: text(100).optional(),
  stateCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,10}$/, 'letters, digits and - only, at most 10')
    .optional(),
  postalCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9 -]{1,20}$/, 'letters, digits, spaces and - only, at most 20')
    .optional(),
  country: countryCode,
});

export const contactSchema = z.strictObject({
  firstName: text(50),
  lastName: text(50).optional(),
  email: z.email().max(100).optional(),
  phone: z
    .strictObject({ countryCode: digits(4).optional(), number: digits(20), extension: digits(10).optional() })
    .optional(),
});

export const identificationSchema = z.strictObject({
  type: z.enum(ID_TYPES),
  number: text(50),
  checkDigit: z.string().trim().regex(/^\d$/, 'a single digit 0-9').optional(),
  country: countryCode.optional(),
});

const nameSchema = z.strictObject({
  company: text(250).optional(),
  first: text(100).optional(),
  last: text(100).optional(),
});

const baseCustomer = z.strictObject({
  type: z.enum(['customer', 'supplier', 'other']).default('customer'),
  personType: z.enum(['person', 'company']),
  name: nameSchema,
  commercialName: text(250).optional(),
  identification: identificationSchema.optional(),
  email: z.email('must be an email address').max(254).optional(),
  phones: z.array(phoneSchema).max(10, 'at most 10 phones').optional(),
  website: z
    .url({ protocol: /^https?$/ })
    .max(1000)
    .optional(),
  billingAddress: addressSchema.optional(),
  shippingAddress: addressSchema.optional(),
  contacts: z.array(contactSchema).max(20, 'at most 20 contacts').optional(),
  currency: currencyCode.optional(),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'an ISO 639-1 code such as es or es-CO')
    .optional(),
  tax: z
    .strictObject({
      vatResponsible: z.boolean().optional(),
      fiscalResponsibilities: z.array(z.enum(FISCAL_RESPONSIBILITIES)).max(10).optional(),
      exempt: z.boolean().optional(),
      regime: text(100).optional(),
    })
    .optional(),
  notes: text(4000).optional(),
  active: z.boolean().default(true),
  externalId: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{1,64}$/, 'printable ASCII without spaces, at most 64 characters')
    .optional(),
  branchOffice: z.number().int().min(0).max(999).optional(),
  erpFields: z.record(z.string().max(200), z.unknown()).optional(),
});

type BaseCustomer = z.output<typeof baseCustomer>;

/**
 * Address codes checked against DANE DIVIPOLA (Colombia) and ISO 3166-2 (elsewhere) and put in their one form
 * (shared/geo/address.ts): a state or city code that is not of the country, or a Colombian city outside its
 * department, is an error at that code.
 */
function withGeography(c: BaseCustomer, ctx: z.RefinementCtx): BaseCustomer {
  const out = { ...c };
  for (const key of ['billingAddress', 'shippingAddress'] as const) {
    const a = c[key];
    if (!a) continue;
    const { address, issues } = normalizeGeography(a);
    for (const i of issues) ctx.addIssue({ code: 'custom', path: [key, i.field], message: i.message });
    out[key] = address;
  }
  return out;
}

/**
 * The unified customer (DESIGN §1). Parsing normalises it: NIT separators stripped and the check digit
 * computed when absent, codes upper-cased, address codes in their canonical form. A wrong check digit is an
 * error at /identification/checkDigit.
 */
export const customerSchema = baseCustomer.transform((input, ctx) => {
  const c = withGeography(input, ctx);
  if (c.personType === 'company' && !c.name.company) {
    ctx.addIssue({ code: 'custom', path: ['name', 'company'], message: 'a company needs name.company' });
  }
  if (c.personType === 'person') {
    if (!c.name.first)
      ctx.addIssue({ code: 'custom', path: ['name', 'first'], message: 'a person needs name.first' });
    if (!c.name.last)
      ctx.addIssue({ code: 'custom', path: ['name', 'last'], message: 'a person needs name.last' });
  }
  const id = c.identification;
  if (id?.type === 'NIT') {
    let number = normalizeNit(id.number);
    let given = id.checkDigit;
    // "900373913-4" carries its own DV after the hyphen.
    const withDv = /^(\d+)-(\d)$/.exec(number);
    if (withDv) {
      number = withDv[1] as string;
      if (given !== undefined && given !== withDv[2]) {
        ctx.addIssue({
          code: 'custom',
          path: ['identification', 'checkDigit'],
          message: 'differs from the DV in the number',
        });
      }
      given = withDv[2];
    }
    if (!/^\d{3,15}$/.test(number)) {
      ctx.addIssue({
        code: 'custom',
        path: ['identification', 'number'],
        message: 'a NIT is 3 to 15 digits',
      });
      return z.NEVER;
    }
    const dv = String(nitCheckDigit(number));
    if (given !== undefined && given !== dv) {
      ctx.addIssue({
        code: 'custom',
        path: ['identification', 'checkDigit'],
        message: `wrong NIT check digit: ${number} has DV ${dv}`,
        params: { reason: 'check_digit_mismatch' },
      });
      return z.NEVER;
    }
    return { ...c, identification: { ...id, number, checkDigit: dv, country: id.country ?? 'CO' } };
  }
  return c;
});

export type UnifiedCustomer = z.output<typeof customerSchema>;
export type UnifiedCustomerInput = z.input<typeof customerSchema>;
export type Address = z.output<typeof addressSchema>;
export type Phone = z.output<typeof phoneSchema>;
