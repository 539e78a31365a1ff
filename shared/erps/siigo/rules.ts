/**
 * Siigo's own validation rules (SG-APIB "Códigos de error"), written for JavaScript. Siigo runs .NET regexes,
 * where `\w` is Unicode-aware; `W` below reproduces that so "Peña" or "São" pass as they do at Siigo.
 */
const W = String.raw`\p{L}\p{Mn}\p{Nd}\p{Pc}`;

/** `invalid_name`: a whitelist of letters, digits, whitespace and `.@-\%_;()]#?¡[/:{} *+,$"` (`@-\` is a range). */
export const SIIGO_NAME = new RegExp(String.raw`^[${W}.@-\\%_;()\]#?¡[/:{ } *+,$"\sñáéíóúÁÉÍÓÚüÜ\-"]+$`, 'u');

/** `invalid_email`. */
export const SIIGO_EMAIL = new RegExp(String.raw`^([-+.]*[${W}])+[-+.]*@([${W}-]+\.)+[${W}-]{2,}$`, 'u');

/** `invalid_identification`: at least 3 characters, word characters with inner hyphens. */
export const SIIGO_IDENTIFICATION = new RegExp(String.raw`^[${W}][${W}\-]+[${W}]$`, 'u');

/** Phone parts: numeric, no spaces, at most 10 characters. */
export const SIIGO_PHONE_PART = /^\d{1,10}$/;

/** Postal code: alphanumeric, no spaces, at most 10. */
export const SIIGO_POSTAL_CODE = /^[A-Za-z0-9]{1,10}$/;

export const SIIGO_LIMITS = {
  name: 100,
  identification: 50,
  address: 256,
  contacts: 10,
  contactName: 50,
  contactEmail: 100,
  comments: 4000,
} as const;
