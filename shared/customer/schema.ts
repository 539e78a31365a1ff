import * as z from 'zod';
import { normalizeGeography } from '../geo/address';
import { COUNTRY_CODES, CURRENCY_CODES, FISCAL_RESPONSIBILITIES, ID_TYPES } from './codes';
import { emailField } from './email';
import { normalizeIdentification } from './identification';
import { type NormalizedPhone, normalizePhone, PHONE_NUMBER_PATTERN } from './phone';
import { nfcDeep } from './text';

/** The largest body the API accepts for one customer (DESIGN §1). */
export const MAX_CUSTOMER_BYTES = 64 * 1024;

/**
 * Every text field: trimmed and in Unicode NFC before any other check, so the same name sent composed or
 * decomposed is one value for every path (API, dry run, queue messages, retry) and limits count composed
 * characters ("José" is 4 whichever way it was sent).
 */
const str = () => z.string().trim().normalize('NFC');
const text = (max: number) => str().min(1, 'must not be empty').max(max);
const digits = (max: number) => str().regex(/^\d+$/, 'digits only').max(max, `at most ${max} digits`);

const countryCode = str()
  .transform((v) => v.toUpperCase())
  .refine((v) => COUNTRY_CODES.has(v), { message: 'must be an ISO 3166-1 alpha-2 country code, e.g. CO' });

const currencyCode = str()
  .transform((v) => v.toUpperCase())
  .refine((v) => CURRENCY_CODES.has(v), { message: 'must be an ISO 4217 currency code, e.g. COP' });

const phoneFields = {
  countryCode: str()
    .regex(/^\+?\d{1,4}$/, 'the country calling code, 1 to 4 digits, e.g. 57')
    .optional()
    .describe(
      'Country calling code ("57"). Absent: taken from a number written with +, else the address country',
    ),
  number: str()
    .min(1, 'must not be empty')
    .max(40)
    .regex(
      PHONE_NUMBER_PATTERN,
      'digits, optionally with a leading + and spaces ( ) . - / between them, then an extension ("ext. 132")',
    )
    .describe(
      'The number as people write it ("300 600 3345", "+44 20 7946 0018"); checked against its country with libphonenumber and stored as the national significant number',
    ),
  extension: digits(10).optional(),
};

export const phoneSchema = z.strictObject({
  kind: z.enum(['primary', 'mobile', 'fax', 'other']).default('primary'),
  ...phoneFields,
});

export const addressSchema = z.strictObject({
  lines: z.array(text(256)).min(1, 'at least one address line').max(5, 'at most 5 lines'),
  city: text(100).optional(),
  cityCode: str()
    .regex(/^[A-Za-z0-9-]{1,10}$/, 'letters, digits and - only, at most 10')
    .optional(),
  state: text(100).optional(),
  stateCode: str()
    .regex(/^[A-Za-z0-9-]{1,10}$/, 'letters, digits and - only, at most 10')
    .optional(),
  postalCode: str()
    .regex(/^[A-Za-z0-9 -]{1,20}$/, 'letters, digits, spaces and - only, at most 20')
    .optional(),
  country: countryCode,
});

export const contactSchema = z.strictObject({
  firstName: text(50),
  lastName: text(50).optional(),
  email: emailField(100).optional(),
  phone: z.strictObject(phoneFields).optional(),
});

export const identificationSchema = z.strictObject({
  type: z.enum(ID_TYPES),
  number: text(50).describe(
    'Normalized per type: NIT/CC/TI/RC/NUIP digits only (dots and spaces removed), others upper-case without separators; checked with stdnum for the country',
  ),
  checkDigit: str().regex(/^\d$/, 'a single digit 0-9').optional(),
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
  email: emailField(254)
    .optional()
    .describe(
      'Internationalized domains are accepted and sent in their ASCII (punycode) form; the part before @ is ASCII',
    ),
  phones: z.array(phoneSchema).max(10, 'at most 10 phones').optional(),
  website: z
    .url({ protocol: /^https?$/ })
    .trim()
    .normalize('NFC')
    .max(1000)
    .optional(),
  billingAddress: addressSchema.optional(),
  shippingAddress: addressSchema.optional(),
  contacts: z.array(contactSchema).max(20, 'at most 20 contacts').optional(),
  currency: currencyCode.optional(),
  language: str()
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
  externalId: str()
    .regex(/^[\x21-\x7e]{1,64}$/, 'printable ASCII without spaces, at most 64 characters')
    .optional(),
  branchOffice: z.number().int().min(0).max(999).optional(),
  // zod's record skips a "__proto__" key (prototype pollution): refuse it rather than drop it without a word.
  erpFields: z
    .preprocess(
      (v, ctx) => {
        if (v && typeof v === 'object' && Object.hasOwn(v, '__proto__')) {
          ctx.addIssue({
            code: 'custom',
            path: ['__proto__'],
            message: '"__proto__" is not a field of any ERP',
            input: v,
          });
        }
        return v;
      },
      z.record(z.string().max(200), z.unknown()),
    )
    .optional(),
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
 * The unified customer (DESIGN §1). Parsing normalizes it, so every path sees one form: text trimmed and NFC
 * (erpFields' strings NFC too), codes upper-cased, the identification normalized per type and checked
 * (shared/customer/identification.ts; a NIT's check digit computed when absent), e-mail domains in ASCII
 * (email.ts), phones read against their country and kept as calling code + national number (phone.ts), address codes in
 * their canonical form (shared/geo/address.ts).
 * Parsing its own output gives the same output, so a stored job re-validates unchanged on retry.
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
  const addressCountry = c.billingAddress?.country ?? c.shippingAddress?.country;
  const { identification: givenId, phones: givenPhones, contacts: givenContacts, erpFields, ...rest } = c;

  let identification = givenId;
  if (givenId) {
    const r = normalizeIdentification(givenId, { personType: c.personType, fallbackCountry: addressCountry });
    if (r.ok) identification = r.value;
    else
      ctx.addIssue({ code: 'custom', path: ['identification', r.problem.field], message: r.problem.message });
  }

  const phoneCountry = addressCountry ?? identification?.country;
  const phone = (p: z.output<typeof phoneSchema> | ContactPhoneInput, path: (string | number)[]) => {
    const r = normalizePhone(p, phoneCountry);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', path: [...path, r.field], message: r.message });
    return { countryCode: '', number: p.number };
  };
  const phones: Phone[] | undefined = givenPhones?.map((p, i) => ({
    kind: p.kind,
    ...phone(p, ['phones', i]),
  }));
  const contacts: Contact[] | undefined = givenContacts?.map((k, i) => {
    const { phone: kp, ...kr } = k;
    return kp ? { ...kr, phone: phone(kp, ['contacts', i, 'phone']) } : kr;
  });

  return {
    ...rest,
    ...(identification ? { identification } : {}),
    ...(phones ? { phones } : {}),
    ...(contacts ? { contacts } : {}),
    ...(erpFields ? { erpFields: nfcDeep(erpFields) as Record<string, unknown> } : {}),
  };
});

export type UnifiedCustomer = z.output<typeof customerSchema>;
export type UnifiedCustomerInput = z.input<typeof customerSchema>;
export type Address = z.output<typeof addressSchema>;
/** A phone after parsing: its kind, calling code, national significant number and extension. */
export type Phone = { kind: z.output<typeof phoneSchema>['kind'] } & NormalizedPhone;
/** A contact after parsing: its phone normalized like the customer's. */
export type Contact = Omit<z.output<typeof contactSchema>, 'phone'> & { phone?: NormalizedPhone };
type ContactPhoneInput = NonNullable<z.output<typeof contactSchema>['phone']>;
