/**
 * Identification numbers in one form for every ERP: normalized per type once, here, and checked with stdnum
 * (the npm port of python-stdnum) where it knows the country's formats and check digits.
 *
 * stdnum is imported per validator (its index pulls in ~100 countries, ~0.5 MB in a Lambda bundle); the CJS
 * build because its ESM build uses extension-less imports that plain Node cannot load. It ships its own types.
 */
import * as arCuit from 'stdnum/lib/cjs/ar/cuit.js';
import * as arDni from 'stdnum/lib/cjs/ar/dni.js';
import * as auAbn from 'stdnum/lib/cjs/au/abn.js';
import * as auAcn from 'stdnum/lib/cjs/au/acn.js';
import * as auTfn from 'stdnum/lib/cjs/au/tfn.js';
import * as brCnpj from 'stdnum/lib/cjs/br/cnpj.js';
import * as brCpf from 'stdnum/lib/cjs/br/cpf.js';
import * as caBn from 'stdnum/lib/cjs/ca/bn.js';
import * as caGst from 'stdnum/lib/cjs/ca/gst.js';
import * as caSin from 'stdnum/lib/cjs/ca/sin.js';
import * as clRut from 'stdnum/lib/cjs/cl/rut.js';
import * as crCpf from 'stdnum/lib/cjs/cr/cpf.js';
import * as crCpj from 'stdnum/lib/cjs/cr/cpj.js';
import * as crCr from 'stdnum/lib/cjs/cr/cr.js';
import * as doCedula from 'stdnum/lib/cjs/do/cedula.js';
import * as doRnc from 'stdnum/lib/cjs/do/rnc.js';
import * as ecCi from 'stdnum/lib/cjs/ec/ci.js';
import * as ecRuc from 'stdnum/lib/cjs/ec/ruc.js';
import * as esCif from 'stdnum/lib/cjs/es/cif.js';
import * as esNif from 'stdnum/lib/cjs/es/nif.js';
import * as gbNino from 'stdnum/lib/cjs/gb/nino.js';
import * as gbUtr from 'stdnum/lib/cjs/gb/utr.js';
import * as gbVat from 'stdnum/lib/cjs/gb/vat.js';
import * as mxCurp from 'stdnum/lib/cjs/mx/curp.js';
import * as mxRfc from 'stdnum/lib/cjs/mx/rfc.js';
import * as noFodselsnummer from 'stdnum/lib/cjs/no/fodselsnummer.js';
import * as noMva from 'stdnum/lib/cjs/no/mva.js';
import * as noOrgnr from 'stdnum/lib/cjs/no/orgnr.js';
import * as peCe from 'stdnum/lib/cjs/pe/ce.js';
import * as peCui from 'stdnum/lib/cjs/pe/cui.js';
import * as peRuc from 'stdnum/lib/cjs/pe/ruc.js';
import * as seOrgnr from 'stdnum/lib/cjs/se/orgnr.js';
import * as sePersonnummer from 'stdnum/lib/cjs/se/personnummer.js';
import * as seVat from 'stdnum/lib/cjs/se/vat.js';
import type { Validator } from 'stdnum/lib/cjs/types.js';
import * as usEin from 'stdnum/lib/cjs/us/ein.js';
import * as usSsn from 'stdnum/lib/cjs/us/ssn.js';
import * as zaIdnr from 'stdnum/lib/cjs/za/idnr.js';
import * as zaTin from 'stdnum/lib/cjs/za/tin.js';
import * as zaVat from 'stdnum/lib/cjs/za/vat.js';
import type { IdType } from './codes';
import { nitCheckDigit } from './nit';

/** Colombian documents that are numbers only (DIAN): dots, commas and spaces are thousands separators. */
export const NUMERIC_ID_TYPES: ReadonlySet<IdType> = new Set(['NIT', 'CC', 'TI', 'RC', 'NUIP']);

/** What people type between the parts of a number: whitespace (incl. NBSP), `.`, `,`, `-`, `/`. */
const SEPARATORS = /[\s.,\-/]/gu;
const THOUSANDS = /[\s.,]/gu;

/**
 * stdnum-js 1.12's personnummer wants its `-`/`+` separator (python-stdnum does not); the normalized value
 * has none, so it is put back before the last four digits.
 */
const personnummer: Validator = {
  ...sePersonnummer,
  validate: (v) =>
    sePersonnummer.validate(/^\d{10}(\d{2})?$/.test(v) ? `${v.slice(0, -4)}-${v.slice(-4)}` : v),
};

/**
 * RFC without its check digit: python-stdnum (whose port this is) does not check it by default because many
 * RFCs in use, issued by the SAT, carry a wrong one; the JS port always does, so a checksum-only failure is
 * let through. Length, letters, date and homoclave are still checked.
 */
const rfc: Validator = {
  ...mxRfc,
  validate: (v) => {
    const r = mxRfc.validate(v);
    if (r.isValid || r.error?.name !== 'InvalidChecksum') return r;
    return {
      isValid: true,
      compact: mxRfc.compact(v),
      isIndividual: v.length === 13,
      isCompany: v.length === 12,
    };
  },
};

interface CountryRules {
  /** identification type VAT. */
  vat?: Validator[];
  /** TAX_ID (and FOREIGN_NIT) of a person. */
  person?: Validator[];
  /** TAX_ID (and FOREIGN_NIT) of a company. */
  company?: Validator[];
  /** ORG_NO. */
  orgNo?: Validator[];
}

/**
 * The countries our ERPs serve (Alegra: CO MX PE CR DO AR ES; QuickBooks: US CA GB AU; Sage: ZA AU; NEXT: SE,
 * NO; plus CL EC BR from the corpus), with stdnum's validators for each kind of number. Colombia is absent on
 * purpose: its numbers have their own types (NIT, CC, …). A country or kind not listed is normalized only.
 */
const RULES: Readonly<Record<string, CountryRules>> = {
  AR: { vat: [arCuit], person: [arCuit, arDni], company: [arCuit] },
  AU: { vat: [auAbn], person: [auTfn, auAbn], company: [auAbn, auAcn, auTfn], orgNo: [auAcn, auAbn] },
  BR: { person: [brCpf], company: [brCnpj], orgNo: [brCnpj] },
  CA: { vat: [caGst, caBn], person: [caSin], company: [caBn], orgNo: [caBn] },
  CL: { vat: [clRut], person: [clRut], company: [clRut] },
  CR: { person: [crCpf, crCr], company: [crCpj], orgNo: [crCpj] },
  DO: { vat: [doRnc], person: [doCedula, doRnc], company: [doRnc] },
  EC: { vat: [ecRuc], person: [ecCi, ecRuc], company: [ecRuc] },
  ES: { vat: [esNif], person: [esNif], company: [esNif], orgNo: [esCif] },
  GB: { vat: [gbVat], person: [gbUtr, gbNino], company: [gbUtr] },
  MX: { vat: [rfc], person: [rfc, mxCurp], company: [rfc] },
  NO: { vat: [noMva], person: [noFodselsnummer], company: [noOrgnr], orgNo: [noOrgnr] },
  PE: { vat: [peRuc], person: [peRuc, peCui, peCe], company: [peRuc] },
  // A sole trader's organisationsnummer is their personnummer (Luhn either way).
  SE: { vat: [seVat], person: [personnummer, seOrgnr], company: [seOrgnr], orgNo: [seOrgnr] },
  US: { person: [usSsn, usEin], company: [usEin] },
  ZA: { vat: [zaVat], person: [zaTin, zaIdnr], company: [zaTin] },
};

/** The countries whose numbers are checked (documentation and tests). */
export const CHECKED_COUNTRIES = Object.keys(RULES);

export interface IdentificationInput {
  type: IdType;
  number: string;
  checkDigit?: string;
  country?: string;
}

export interface IdentificationProblem {
  field: 'number' | 'checkDigit';
  message: string;
}

export type NormalizedIdentification =
  | { ok: true; value: IdentificationInput }
  | { ok: false; problem: IdentificationProblem };

function validatorsFor(type: IdType, country: string, personType: 'person' | 'company'): Validator[] {
  const rules = RULES[country];
  if (!rules) return [];
  if (type === 'VAT') return rules.vat ?? [];
  if (type === 'ORG_NO') return rules.orgNo ?? [];
  if (type === 'TAX_ID' || type === 'FOREIGN_NIT') return rules[personType] ?? [];
  return [];
}

function names(vs: Validator[]): string {
  return [...new Set(vs.map((v) => v.abbreviation ?? v.name))].join(' or ');
}

function nit(id: IdentificationInput): NormalizedIdentification {
  let digits = id.number.replace(THOUSANDS, '');
  let given = id.checkDigit;
  // "900373913-4" carries its DV after the hyphen.
  const withDv = /^(\d+)-(\d)$/.exec(digits);
  if (withDv) {
    digits = withDv[1] as string;
    if (given !== undefined && given !== withDv[2]) {
      return { ok: false, problem: { field: 'checkDigit', message: 'differs from the DV in the number' } };
    }
    given = withDv[2];
  }
  if (!/^\d{3,15}$/.test(digits)) {
    return { ok: false, problem: { field: 'number', message: 'a NIT is 3 to 15 digits (dots allowed)' } };
  }
  const dv = String(nitCheckDigit(digits));
  if (given !== undefined && given !== dv) {
    return {
      ok: false,
      problem: { field: 'checkDigit', message: `wrong NIT check digit: ${digits} has DV ${dv}` },
    };
  }
  return { ok: true, value: { ...id, number: digits, checkDigit: dv, country: id.country ?? 'CO' } };
}

/**
 * One identification in the form every ERP gets:
 * - NIT: digits, DV computed when absent (or taken from `-d`) and checked when given; country CO.
 * - CC, TI, RC, NUIP: digits only; dots, commas and spaces are removed ("1.020.304.050" → "1020304050"), a
 *   hyphen or letter is an error (a CC has no check digit to split off).
 * - every other type: upper-cased, separators (spaces, `.`, `,`, `-`, `/`) removed, letters and digits left;
 *   then, for VAT / TAX_ID / FOREIGN_NIT / ORG_NO of a country in RULES, checked with stdnum.
 * `country` is the identification's own country, else the address country the caller passes.
 */
export function normalizeIdentification(
  id: IdentificationInput,
  ctx: { personType: 'person' | 'company'; fallbackCountry?: string },
): NormalizedIdentification {
  if (id.type === 'NIT') return nit(id);
  if (NUMERIC_ID_TYPES.has(id.type)) {
    const digits = id.number.replace(THOUSANDS, '');
    if (!/^\d+$/.test(digits)) {
      return {
        ok: false,
        problem: { field: 'number', message: `a ${id.type} is digits only (dots and spaces allowed)` },
      };
    }
    return { ok: true, value: { ...id, number: digits } };
  }
  const number = id.number.replace(SEPARATORS, '').toUpperCase();
  // Letters and digits, plus & (Mexican RFCs such as "A&C010101AB1" carry it).
  if (!/^[\p{L}\p{N}&]+$/u.test(number)) {
    return {
      ok: false,
      problem: {
        field: 'number',
        message: 'letters and digits only (spaces, dots, hyphens and slashes are removed)',
      },
    };
  }
  const value = { ...id, number };
  const country = id.country ?? ctx.fallbackCountry;
  if (!country) return { ok: true, value };
  const validators = validatorsFor(id.type, country, ctx.personType);
  if (!validators.length) return { ok: true, value };
  const results = validators.map((v) => v.validate(number));
  if (results.some((r) => r.isValid)) return { ok: true, value };
  const reason = results[0]?.error?.message ?? 'not valid';
  return {
    ok: false,
    problem: {
      field: 'number',
      message: `not a valid ${names(validators)} for ${country}: ${reason.replace(/\.$/, '')}`,
    },
  };
}

/**
 * The number as it is printed on documents, for ERPs that keep the tax id as one string: a NIT with its DV
 * after a hyphen (900373913-4), anything else as normalized.
 */
export function printedIdentification(id: IdentificationInput | undefined): string | undefined {
  if (!id) return undefined;
  return id.type === 'NIT' && id.checkDigit ? `${id.number}-${id.checkDigit}` : id.number;
}
