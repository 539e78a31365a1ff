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
