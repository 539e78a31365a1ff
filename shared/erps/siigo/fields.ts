import { FISCAL_RESPONSIBILITIES } from '../../customer/codes';
import { type NativeCatalog, nf } from '../native-fields';
import { SIIGO_EMAIL, SIIGO_LIMITS, SIIGO_NAME, SIIGO_POSTAL_CODE } from './rules';

/**
 * CustomerIn of `POST /v1/customers` (SG-APIB field table L2456-2481, MSON L901-1023), field by field with
 * Siigo's documented lengths and formats: the one table `erpFields` and the mapped body are checked against.
 * Sources per limit: docs/erps/siigo.md, "Field limits (audited)".
 */
const digits = nf.string(10, {
  pattern: /^\d+$/,
  patternHint: 'digits only, no spaces',
  patternCode: 'invalid_type',
});
const phone = nf.object({ indicative: digits, number: digits, extension: digits }, { required: ['number'] });
const email = nf.string(SIIGO_LIMITS.contactEmail, {
  pattern: SIIGO_EMAIL,
  patternHint: 'Siigo does not accept this email',
  patternCode: 'invalid_email',
});

/** id_type codes (DIAN), SG-APIB L2488-2506. */
export const SIIGO_ID_TYPE_CODES = [
  '13',
  '31',
  '11',
  '12',
  '21',
  '22',
  '41',
  '42',
  '43',
  '47',
  '48',
  '50',
  '89',
  '91',
  'R-00-PN',
] as const;

/**
 * Native keys the adapter controls: (identification, branch_office) is the key the look-up searches by after
 * a lost response, so a caller's erpFields must not change them behind the look-up's back.
 */
export const CONTROLLED_KEYS: Readonly<Record<string, string>> = {
  identification: 'identification is set from /identification/number (the look-up key)',
  branch_office: 'branch_office is set from /branchOffice (the look-up key)',
  person_type: "person_type is set from /personType (Siigo's name array follows it: one part or two)",
};

export const SIIGO_CATALOG: NativeCatalog = {
  erp: 'Siigo',
  controlled: CONTROLLED_KEYS,
  fields: {
    type: nf.enum(['Customer', 'Supplier', 'Other']),
    person_type: nf.enum(['Person', 'Company']),
    id_type: nf.enum(SIIGO_ID_TYPE_CODES),
    check_digit: nf.string(1, { pattern: /^\d$/, patternHint: 'a single digit 0-9' }),
    // Company: ["Razón social"]; person: ["Nombres", "Apellidos"]; each ≤ 100, Siigo's name whitelist.
    name: nf.array(
      nf.string(SIIGO_LIMITS.name, {
        minLength: 1,
        pattern: SIIGO_NAME,
        patternCode: 'invalid_name',
        patternHint: 'Siigo allows letters, digits, spaces and .@-%_;()[]#?¡/:{}*+,$" only (no & or \')',
      }),
      { minItems: 1, maxItems: 2 },
    ),
    // "free text": no documented length.
    commercial_name: nf.string(),
    active: nf.boolean(),
    vat_responsible: nf.boolean(),
    fiscal_responsibilities: nf.array(
      nf.object({ code: nf.enum(FISCAL_RESPONSIBILITIES) }, { required: ['code'] }),
    ),
    address: nf.object(
      {
        address: nf.string(SIIGO_LIMITS.address, { minLength: 1 }),
        city: nf.object(
          { country_code: nf.string(), state_code: nf.string(), city_code: nf.string() },
          { required: ['country_code', 'state_code', 'city_code'] },
        ),
        postal_code: nf.string(10, {
          pattern: SIIGO_POSTAL_CODE,
          patternHint: 'at most 10 letters or digits, without spaces or hyphens',
          patternCode: 'invalid_postal_code',
        }),
      },
      { required: ['address', 'city'] },
    ),
    phones: nf.array(phone),
    // "hasta 20" (L1019) vs "hasta 10" (invalid_array, L197-199): the stricter 10.
    contacts: nf.array(
      nf.object(
        {
          first_name: nf.string(SIIGO_LIMITS.contactName, { minLength: 1 }),
          last_name: nf.string(SIIGO_LIMITS.contactName),
          email,
          phone,
        },
        { required: ['first_name'] },
      ),
      { maxItems: SIIGO_LIMITS.contacts },
    ),
    comments: nf.string(SIIGO_LIMITS.comments),
    related_users: nf.object({ seller_id: nf.integer(), collector_id: nf.integer() }),
  },
};
