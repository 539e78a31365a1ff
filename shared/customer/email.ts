import { domainToASCII } from 'node:url';
import * as z from 'zod';

/**
 * E-mail addresses in the one form every ERP takes: the domain lower-cased and, when internationalized, in
 * its ASCII (punycode, RFC 5890 A-label) form — `ventas@señal.co` → `ventas@xn--seal-hqa.co` — by Node's
 * `url.domainToASCII` (UTS #46). No ERP we serve documents internationalized domains; the A-label form is the
 * same mailbox and passes every ERP's documented check (docs/erps/<erp>.md, "Text, identification, e-mail
 * and phone forms").
 *
 * The local part stays as the caller sent it, and must be ASCII: a non-ASCII local part needs SMTPUTF8
 * (RFC 6531) end to end and has no ASCII equivalent, and no ERP documents SMTPUTF8 support.
 */
export function asciiEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  // Plain ASCII domains only need lower-casing; domainToASCII also maps full-width dots and letters (UTS #46).
  const ascii = /^[\x21-\x7e]*$/.test(domain) ? domain.toLowerCase() : domainToASCII(domain);
  return `${address.slice(0, at)}@${ascii}`;
}

const ASCII_LOCAL_PART = /^[\x21-\x7e]+@/;

/**
 * A unified e-mail field: trimmed, NFC, the local part ASCII, the domain converted by `asciiEmail`; then the
 * ASCII address is checked (at most `max` characters, as SMTP counts them) as an e-mail address. JSON Schema
 * `format: idn-email` tells clients that internationalized domains are accepted.
 */
export function emailField(max: number) {
  return z
    .string()
    .trim()
    .normalize('NFC')
    .refine((v) => !v.includes('@') || ASCII_LOCAL_PART.test(v), {
      message:
        'the part before @ must be ASCII (no ERP documents SMTPUTF8 mailboxes); internationalized domains are accepted',
      abort: true,
    })
    .overwrite(asciiEmail)
    .max(max)
    .refine((v) => z.regexes.email.test(v), { message: 'must be an email address' })
    .meta({ format: 'idn-email' });
}
