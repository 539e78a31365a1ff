/**
 * Phone numbers read and checked with libphonenumber-js (Google's libphonenumber metadata), and written in the
 * forms the ERPs take.
 *
 * `libphonenumber-js/min`: its metadata checks each country's number lengths and leading-digit ranges
 * (`isValid()` refuses "12345" for US and 1234567890 for CO), which is the whole check we need; `max` (+70 KB
 * in every bundle) adds only the fixed-line/mobile type detection we do not use.
 */
import { isSupportedCountry, type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** A phone as the unified schema keeps it after parsing: calling code and national significant number. */
export interface NormalizedPhone {
  /** ITU calling code, digits only ("57"). */
  countryCode: string;
  /** National significant number, digits only, without trunk prefix ("3006003345"; UK "2079460018"). */
  number: string;
  extension?: string;
}

export interface PhoneInput {
  countryCode?: string;
  number: string;
  extension?: string;
}

export type PhoneResult =
  | { ok: true; value: NormalizedPhone }
  | { ok: false; field: 'number' | 'countryCode'; message: string };

/**
 * An extension written after the number, as people write it (and as `phoneText` writes it): "ext. 132",
 * "x132", "extensión 132", "anexo 132" (Chile, Peru), "#132".
 */
// Without the i flag: the pattern also goes into the OpenAPI document, whose JSON Schema patterns take none.
const EXTENSION_SUFFIX = String.raw`\s*(?:[Ee]xt(?:ension|ensión)?\.?|EXT\.?|[Xx]|[Aa]nexo|ANEXO|#)\s*(\d{1,10})`;
const WRITTEN_EXTENSION = new RegExp(`${EXTENSION_SUFFIX}$`);

/**
 * What a caller may type in `number`: digits, a leading +, spaces and ( ) . - / as separators, and an
 * extension after them.
 */
export const PHONE_NUMBER_PATTERN = new RegExp(
  String.raw`^\+?[\d\s().\-/]*\d[\d\s().\-/]*(?:${EXTENSION_SUFFIX})?$`,
);

function describe(p: PhoneNumber): string {
  return p.country ? `${p.country} (+${p.countryCallingCode})` : `+${p.countryCallingCode}`;
}

/**
 * Reads one phone against its country: `countryCode` when given (or a number written with +), else
 * `fallbackCountry` (ISO 3166-1 alpha-2; the customer's address country). Refuses what is not a number in
 * that country's numbering plan: wrong length, or a range that is not allocated ("12345", "(555) 555-5555").
 */
export function normalizePhone(input: PhoneInput, fallbackCountry?: string): PhoneResult {
  const written = WRITTEN_EXTENSION.exec(input.number);
  const raw = written ? input.number.slice(0, written.index) : input.number;
  const writtenExtension = written?.[1];
  if (writtenExtension && input.extension && writtenExtension !== input.extension) {
    return {
      ok: false,
      field: 'number',
      message: `the extension written in the number (${writtenExtension}) differs from extension (${input.extension})`,
    };
  }
  const extension = input.extension ?? writtenExtension;
  const code = input.countryCode?.replace(/^\+/, '');
  let parsed: PhoneNumber | undefined;
  if (raw.startsWith('+')) {
    parsed = parsePhoneNumberFromString(raw);
    if (parsed && code && !parsed.number.startsWith(`+${code}`)) {
      return {
        ok: false,
        field: 'countryCode',
        message: `+${code} differs from the +${parsed.countryCallingCode} the number starts with`,
      };
    }
  } else if (code) {
    parsed = parsePhoneNumberFromString(`+${code}${raw.replace(/\D/g, '')}`);
  } else if (fallbackCountry && isSupportedCountry(fallbackCountry)) {
    parsed = parsePhoneNumberFromString(raw, { defaultCountry: fallbackCountry });
  } else {
    return {
      ok: false,
      field: 'countryCode',
      message:
        'the number cannot be read without its country: send countryCode (e.g. "57"), a number starting with +, or a billingAddress.country',
    };
  }
  if (!parsed) {
    return { ok: false, field: 'number', message: 'not a phone number (unknown country calling code?)' };
  }
  if (!parsed.isValid()) {
    return {
      ok: false,
      field: 'number',
      message: parsed.isPossible()
        ? `not a number in the numbering plan of ${describe(parsed)}`
        : `wrong length for a phone number of ${describe(parsed)}`,
    };
  }
  const value: NormalizedPhone = { countryCode: parsed.countryCallingCode, number: parsed.nationalNumber };
  if (extension) value.extension = extension;
  return { ok: true, value };
}

/** E.164: `+573006003345` (no extension: E.164 has none). */
export function phoneE164(p: Pick<NormalizedPhone, 'countryCode' | 'number'>): string {
  return `+${p.countryCode}${p.number}`;
}

/**
 * The international format (ITU-T E.123, grouped as the number's country writes it) with the extension after
 * ` ext. `: `+57 300 6003345 ext. 132`. What ERPs with one free-text phone field are sent.
 */
export function phoneText(p: NormalizedPhone): string {
  const formatted =
    parsePhoneNumberFromString(phoneE164(p))?.formatInternational() ?? `+${p.countryCode} ${p.number}`;
  return p.extension ? `${formatted} ext. ${p.extension}` : formatted;
}
