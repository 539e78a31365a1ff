/** DIAN "módulo 11" weights, applied from the rightmost digit leftwards. */
const WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

/**
 * The Colombian NIT check digit (DV). `nit` must be 1–15 digits without the DV.
 *
 * Kept rather than stdnum's `co/nit`: that one only validates a number that already carries its DV and
 * refuses anything under 8 digits with it, while DIAN issues shorter NITs (a person's NIT is their cédula)
 * and callers usually send the NIT without its DV. test/unit/customer-identification.test.ts checks that the
 * two agree wherever both apply.
 */
export function nitCheckDigit(nit: string): number {
  if (!/^\d{1,15}$/.test(nit)) throw new RangeError('a NIT is 1 to 15 digits');
  let sum = 0;
  const digits = nit.split('').reverse();
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * (WEIGHTS[i] as number);
  const r = sum % 11;
  return r <= 1 ? r : 11 - r;
}
