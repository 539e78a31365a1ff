import { type NativeCatalog, nf } from '../native-fields';

/**
 * Native fields of `POST /contacts` (fact sheet 2.3) and how they relate to the unified body. Alegra publishes no
 * field table with lengths, so only shapes are checked here.
 */

/** Colombian `regime` values (Alegra's catalog spells NOT_REPONSIBLE_FOR_CONSUMPTION that way). */
export const ALEGRA_CO_REGIMES = [
  'SIMPLIFIED_REGIME',
  'COMMON_REGIME',
  'NOT_REPONSIBLE_FOR_CONSUMPTION',
  'SPECIAL_REGIME',
  'NATIONAL_CONSUMPTION_TAX',
  'INC_IVA_RESPONSIBLE',
] as const;

export const KINDS_OF_PERSON = ['LEGAL_ENTITY', 'PERSON_ENTITY'] as const;
export const CONTACT_TYPES = ['client', 'provider'] as const;
export const CONTACT_STATUSES = ['active', 'inactive'] as const;

/**
 * Keys the adapter controls: the look-up that prevents a second contact after a lost response searches by
 * identification and email, so they must be exactly what the unified body says. Callers set them through
 * `/identification` and `/email`, never through `erpFields`.
 */
/** erpFields the adapter sets itself: the look-up keys, and the id Alegra assigns. */
export const CONTROLLED_FIELDS: Readonly<Record<string, string>> = {
  identification: '"identification" is set from the unified /identification (it is the look-up key)',
  identificationObject:
    '"identificationObject" is set from the unified /identification (it is the look-up key)',
  email: '"email" is set from the unified /email (it is the look-up key)',
  id: 'Alegra assigns the id',
};

/** Where each mapped native field comes from in the unified body (to point Alegra's messages back at it). */
export const UNIFIED_POINTERS: Readonly<Record<string, string>> = {
  name: '/name',
  nameObject: '/name',
  kindOfPerson: '/personType',
  identification: '/identification/number',
  identificationObject: '/identification/number',
  dv: '/identification/checkDigit',
  type: '/type',
  email: '/email',
  phonePrimary: '/phones/0/number',
  phoneSecondary: '/phones',
  mobile: '/phones',
  fax: '/phones',
  observations: '/notes',
  status: '/active',
  regime: '/tax/regime',
  address: '/billingAddress',
  city: '/billingAddress/city',
  department: '/billingAddress/state',
  country: '/billingAddress/country',
  zipCode: '/billingAddress/postalCode',
};

const text = nf.string();
/** A reference to another Alegra object: `{"id": …}` (a number or a numeric string). */
const ref = nf.object(
  { id: nf.anyOf([nf.integer(), nf.string(undefined, { minLength: 1 })]) },
  {
    required: ['id'],
    open: true,
  },
);

/**
 * The contact fields Alegra's catalogs and the clients that post to it name (fact sheet 2.3: AL-CLI
 * `internal/api/contacts.go` and `testdata/spec/schemas.json`, the Colombian and Mexican catalogs). Anything else
 * in `erpFields` is refused: Alegra would ignore it or answer a bare 400, and either way the caller's field is lost.
 */
export const ALEGRA_CATALOG: NativeCatalog = {
  erp: 'Alegra',
  controlled: CONTROLLED_FIELDS,
  fields: {
    name: nf.string(undefined, { minLength: 1 }),
    nameObject: nf.object({ firstName: text, secondName: text, lastName: text, secondLastName: text }),
    kindOfPerson: nf.enum(KINDS_OF_PERSON),
    regime: nf.enum(ALEGRA_CO_REGIMES, { description: 'Colombia' }),
    type: nf.anyOf([nf.enum(CONTACT_TYPES), nf.array(nf.enum(CONTACT_TYPES), { minItems: 1 })]),
    status: nf.enum(CONTACT_STATUSES),
    phonePrimary: text,
    phoneSecondary: text,
    mobile: text,
    fax: text,
    observations: text,
    emailSecondary: text,
    // Sub-fields beyond these vary per country (UNCERTAIN for Mexico): the known ones must be strings.
    address: nf.object(
      { address: text, city: text, department: text, country: text, zipCode: text },
      { open: true },
    ),
    seller: ref,
    term: ref,
    priceList: ref,
    creditLimit: nf.number(),
    statementAttached: nf.boolean(),
    settings: nf.object({ sendElectronicDocuments: nf.boolean() }, { open: true }),
    internalContacts: nf.array(nf.object({}, { open: true })),
    // Mexico (AL-CLI mexico.json).
    regimeObject: nf.array(text, {
      description: 'Mexico: fiscal regimes, e.g. GENERAL_REGIME_OF_MORAL_PEOPLE_LAW',
    }),
    cfdiUse: nf.string(undefined, { description: 'Mexico: CFDI use code, e.g. G03' }),
    thirdType: nf.enum(['NATIONAL', 'FOREIGN'], { description: 'Mexico' }),
    // Argentina / Costa Rica; shapes UNCERTAIN (AL-CLI schemas).
    ivaCondition: nf.any({ description: 'Argentina (shape UNCERTAIN)' }),
    exoneration: nf.any({ description: 'Costa Rica (shape UNCERTAIN)' }),
  },
};
