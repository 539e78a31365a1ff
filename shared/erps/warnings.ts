import type { Address, UnifiedCustomer } from '../customer/schema';
import { toPointer } from '../errors';
import type { FieldWarning } from './types';

/**
 * A unified field an ERP cannot hold (issue 11 §4: mapped, rejected with a pointer, or named in `warnings` —
 * never dropped silently). `pattern` is a pointer into the unified body where `*` stands for any array index
 * (`/phones/*\/kind`); `when` narrows it to the values that are lost (a phone of kind `mobile` where the ERP
 * has no kinds, a second address when the ERP keeps one).
 */
export interface NotHeld {
  pattern: string;
  message: string;
  when?: (value: unknown, customer: UnifiedCustomer, indexes: number[]) => boolean;
}

/** Every node of `customer` a pattern names, with its pointer and the array indexes `*` took. */
function matches(
  customer: unknown,
  pattern: string,
): { pointer: string; value: unknown; indexes: number[] }[] {
  let nodes: { path: (string | number)[]; value: unknown; indexes: number[] }[] = [
    { path: [], value: customer, indexes: [] },
  ];
  for (const part of pattern.split('/').slice(1)) {
    const next: typeof nodes = [];
    for (const n of nodes) {
      if (part === '*') {
        if (Array.isArray(n.value)) {
          n.value.forEach((v, i) => {
            next.push({ path: [...n.path, i], value: v, indexes: [...n.indexes, i] });
          });
        }
      } else if (n.value && typeof n.value === 'object' && Object.hasOwn(n.value, part)) {
        const v = (n.value as Record<string, unknown>)[part];
        if (v !== undefined) next.push({ path: [...n.path, part], value: v, indexes: n.indexes });
      }
    }
    nodes = next;
  }
  return nodes.map((n) => ({ pointer: toPointer(n.path), value: n.value, indexes: n.indexes }));
}

/**
 * The `warnings` of one customer for one ERP: each present field it cannot hold, at its own pointer, once; a
 * field inside one already named (a phone's kind when the whole phone is not sent) is not named again.
 */
export function notHeldWarnings(customer: UnifiedCustomer, rules: readonly NotHeld[]): FieldWarning[] {
  const out: FieldWarning[] = [];
  for (const rule of rules) {
    for (const m of matches(customer, rule.pattern)) {
      if (rule.when && !rule.when(m.value, customer, m.indexes)) continue;
      out.push({ pointer: m.pointer, code: 'not_supported_by_erp', message: rule.message });
    }
  }
  return mergeWarnings(out);
}

/**
 * Several lists of warnings as one: each pointer once (the first message), and none inside a pointer already
 * named (a phone's kind when the whole phone is not sent).
 */
export function mergeWarnings(...lists: readonly FieldWarning[][]): FieldWarning[] {
  const all = lists.flat();
  return all.filter(
    (w, i) =>
      all.findIndex((x) => x.pointer === w.pointer) === i &&
      !all.some((x) => x.pointer !== w.pointer && w.pointer.startsWith(`${x.pointer}/`)),
  );
}

/** Identification types that are Colombian documents: their country is implied (CO). */
const COLOMBIAN = new Set(['NIT', 'CC', 'CE', 'TI', 'RC', 'PP', 'PEP', 'PPT', 'DIE', 'NUIP']);

/** Rules most ERPs share, worded once. `erp` is the display name used in messages. */
export const commonNotHeld = {
  commercialName: (erp: string): NotHeld => ({
    pattern: '/commercialName',
    message: `${erp} has no field for a trade name; it is not sent`,
  }),
  website: (erp: string): NotHeld => ({
    pattern: '/website',
    message: `${erp} has no website field; it is not sent`,
  }),
  language: (erp: string): NotHeld => ({
    pattern: '/language',
    message: `${erp} has no language field the adapter can set from a code; it is not sent`,
  }),
  externalId: (erp: string): NotHeld => ({
    pattern: '/externalId',
    message: `${erp} has no external-key field; externalId is not sent (the look-up uses the ERP's own key)`,
  }),
  branchOffice: (erp: string): NotHeld => ({
    pattern: '/branchOffice',
    message: `branchOffice is Siigo's sucursal; ${erp} has none, it is not sent`,
  }),
  notes: (erp: string): NotHeld => ({
    pattern: '/notes',
    message: `${erp} has no notes field; notes are not sent`,
  }),
  shippingAddress: (erp: string): NotHeld => ({
    pattern: '/shippingAddress',
    message: `${erp} keeps one address per customer; the shipping address is not sent`,
  }),
  contacts: (erp: string, why = 'contacts are separate records there'): NotHeld => ({
    pattern: '/contacts',
    message: `${erp} does not take contacts with the customer (${why}); they are not sent`,
  }),
  tax: (erp: string, field: 'vatResponsible' | 'fiscalResponsibilities' | 'exempt' | 'regime'): NotHeld => ({
    pattern: `/tax/${field}`,
    message: `${erp} has no field for tax.${field}; it is not sent (use erpFields for the ERP's own tax settings)`,
  }),
  /** A name part the ERP does not use for this kind of party (a person's company, a company's first name). */
  namePart: (erp: string, part: 'company' | 'first' | 'last', of: 'person' | 'company'): NotHeld => ({
    pattern: `/name/${part}`,
    message: `${erp} does not keep name.${part} for a ${of}; it is not sent`,
    when: (_v, c) => c.personType === of,
  }),
  /** The name parts the ERP does not use for the party's kind: a person's company, a company's first and last name. */
  otherNameParts: (erp: string): NotHeld[] => [
    commonNotHeld.namePart(erp, 'company', 'person'),
    commonNotHeld.namePart(erp, 'first', 'company'),
    commonNotHeld.namePart(erp, 'last', 'company'),
  ],
  /** Tax fields the ERP has no place for. */
  taxFields: (
    erp: string,
    fields: readonly ('vatResponsible' | 'fiscalResponsibilities' | 'exempt' | 'regime')[],
  ) => fields.map((f) => commonNotHeld.tax(erp, f)),
  /** The identification's country, unless it is implied by a Colombian document type. */
  identificationCountry: (erp: string): NotHeld => ({
    pattern: '/identification/country',
    message: `${erp} keeps no country for the identification; it is not sent`,
    when: (v, c) => !(v === 'CO' && COLOMBIAN.has(c.identification?.type ?? '')),
  }),
  identificationType: (erp: string, kept = 'the number only'): NotHeld => ({
    pattern: '/identification/type',
    message: `${erp} keeps ${kept}; the identification type is not sent`,
  }),
  /** A check digit on a type other than NIT (the adapters send a NIT's DV with the number). */
  checkDigitUnlessNit: (erp: string): NotHeld => ({
    pattern: '/identification/checkDigit',
    message: `${erp} keeps a check digit only for a NIT; it is not sent`,
    when: (_v, c) => c.identification?.type !== 'NIT',
  }),
  /** An `other` customer type where the ERP only creates customers. */
  typeOther: (erp: string): NotHeld => ({
    pattern: '/type',
    message: `${erp} has no "other" party type; it is created as a customer`,
    when: (v) => v === 'other',
  }),
  /** Phones that find no field (`placed`: the indexes the mapper gives one); `fields` names the ERP's phone fields. */
  unplacedPhones: (
    erp: string,
    fields: string,
    placed: (c: UnifiedCustomer) => ReadonlySet<number>,
  ): NotHeld => ({
    pattern: '/phones/*',
    message: `${erp} has ${fields}; this phone finds its field taken by an earlier one and is not sent`,
    when: (_v, c, [i]) => !placed(c).has(i as number),
  }),
  /** A phone that goes to another field than its kind's own (`moved`), so its kind is lost. */
  movedPhoneKind: (
    erp: string,
    where: string,
    moved: (c: UnifiedCustomer, i: number) => boolean,
  ): NotHeld => ({
    pattern: '/phones/*/kind',
    message: `${erp}'s field for this kind is taken by an earlier phone: the number goes to ${where}, the kind is not kept`,
    when: (_v, c, [i]) => moved(c, i as number),
  }),
  /** ERPs with one contact: the ones after the first. */
  contactsAfterFirst: (erp: string, kept: string): NotHeld => ({
    pattern: '/contacts/*',
    message: `${erp} keeps one contact (${kept}): contacts after the first are not sent`,
    when: (_v, _c, [i]) => (i as number) > 0,
  }),
  /**
   * A Colombian city code next to a city name, for ERPs that take the city as text: the name is sent, the code
   * is not (outside Colombia see `foreignCityCodeWarnings`).
   */
  cityCodeBesideCity: (erp: string): NotHeld[] =>
    (['billingAddress', 'shippingAddress'] as const).map((key) => ({
      pattern: `/${key}/cityCode`,
      message: `${erp} takes the city as text: the city name is sent, the city code is not`,
      when: (_v, c) => c[key]?.city !== undefined && c[key]?.country === 'CO',
    })),
  /** A state name next to the code the ERP sends instead (`sendsCode`). */
  stateNameBesideCode: (erp: string, sendsCode: (a: Address) => boolean): NotHeld[] =>
    (['billingAddress', 'shippingAddress'] as const).map((key) => ({
      pattern: `/${key}/state`,
      message: `${erp} takes the state code: the code is sent, the state name is not`,
      when: (_v, c) => {
        const a = c[key];
        return a?.stateCode !== undefined && sendsCode(a);
      },
    })),
  /** A phone kind the ERP cannot record (it keeps the number). */
  phoneKind: (erp: string, lost: readonly string[], how: string): NotHeld => ({
    pattern: '/phones/*/kind',
    message: `${erp} ${how}; the kind is not kept`,
    when: (v) => lost.includes(v as string),
  }),
};
