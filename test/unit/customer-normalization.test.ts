import * as coNit from 'stdnum/lib/cjs/co/nit.js';
import { describe, expect, it } from 'vitest';
import { asciiEmail } from '../../shared/customer/email';
import { nitCheckDigit } from '../../shared/customer/nit';
import { phoneText } from '../../shared/customer/phone';
import { customerSchema, type UnifiedCustomerInput } from '../../shared/customer/schema';
import { issuesFromZod } from '../../shared/errors';

/** Issue 11 §2 "One text, one form": what the unified schema makes of text, ids, e-mails and phones. */

const nfd = (s: string) => s.normalize('NFD');
const parse = (c: unknown) => customerSchema.parse(c);
function problems(input: unknown) {
  const r = customerSchema.safeParse(input);
  return r.success ? [] : issuesFromZod(r.error).map((i) => `${i.pointer} ${i.message}`);
}

const company = (extra: Partial<UnifiedCustomerInput> = {}): UnifiedCustomerInput => ({
  personType: 'company',
  name: { company: 'Peñalosa & Hijos S.A.S.' },
  billingAddress: { lines: ['Cra. 18 #79A - 42'], city: 'Bogotá', country: 'CO' },
  ...extra,
});

describe('text: trimmed and NFC before any check', () => {
  it('the same name composed and decomposed is one value (the issue: two QuickBooks customers)', () => {
    const composed = parse(company({ name: { company: 'Señal Comunicaciones Ltda.' } }));
    const decomposed = parse(company({ name: { company: nfd('Señal Comunicaciones Ltda.') } }));
    expect(nfd('Señal')).not.toBe('Señal');
    expect(decomposed).toEqual(composed);
    expect(decomposed.name.company).toBe('Señal Comunicaciones Ltda.');
  });

  it('every text field, nested ones and erpFields strings included', () => {
    const raw = {
      personType: 'person',
      name: { first: 'José', last: "D'Ávila Núñez" },
      commercialName: 'Café São Paulo',
      billingAddress: { lines: ['Calle Ñandú 5'], city: 'Medellín', state: 'Antioquia', country: 'co' },
      contacts: [{ firstName: 'Zoë', lastName: 'Brontë' }],
      notes: 'Crème brûlée \\ «señal»',
      tax: { regime: 'Régimen común' },
      erpFields: { custentity_nota: 'Peña', nested: { list: ['Ñu'] } },
    };
    const decomposed = JSON.parse(nfd(JSON.stringify(raw)));
    const a = parse(raw);
    const b = parse(decomposed);
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(b).normalize('NFC'));
    // Apostrophes, backslashes and quotes are kept as sent: escaping is each query language's business.
    expect(a.name.last).toBe("D'Ávila Núñez");
    expect(a.notes).toBe('Crème brûlée \\ «señal»');
  });

  it('trims Unicode white space (no-break space, ideographic space) too', () => {
    const c = parse(company({ name: { company: '\u00a0 Stark Industries\u3000' } }));
    expect(c.name.company).toBe('Stark Industries');
    expect(problems(company({ name: { company: '\u00a0\u2003' } }))).toEqual([
      '/name/company must not be empty',
    ]);
  });

  it('limits count composed characters: 250 decomposed é fit name.company (500 code units)', () => {
    const name = nfd('é'.repeat(250));
    expect(name.length).toBe(500);
    expect(parse(company({ name: { company: name } })).name.company).toHaveLength(250);
    expect(problems(company({ name: { company: nfd('é'.repeat(251)) } }))).toEqual([
      '/name/company Too big: expected string to have <=250 characters',
    ]);
  });

  it('parsing its own output changes nothing (a stored job re-validates unchanged on retry)', () => {
    const inputs: UnifiedCustomerInput[] = [
      company({
        identification: { type: 'NIT', number: '900.373.913' },
        email: 'Ventas@SEÑAL.co',
        phones: [
          { number: '300 600 3345', extension: '132' },
          { kind: 'fax', number: '+44 20 7946 0018' },
        ],
        contacts: [
          {
            firstName: 'Ana',
            email: 'ana@señal.co',
            phone: { countryCode: '+57', number: '(601) 300 6003' },
          },
        ],
      }),
      company({ identification: { type: 'VAT', number: 'se 5566778899 01', country: 'SE' } }),
      company({ identification: { type: 'CC', number: '1.020.304.050' }, erpFields: { a: nfd('ñ') } }),
    ];
    for (const input of inputs) {
      const once = parse(input);
      expect(parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
    }
  });
});

describe('identification numbers: one form per type, checked with stdnum', () => {
  const id = (
    identification: UnifiedCustomerInput['identification'],
    extra: Partial<UnifiedCustomerInput> = {},
  ) => customerSchema.safeParse(company({ identification, ...extra }));

  it('CC "1.020.304.050" → "1020304050" (the issue: Alegra 422, Siigo stripped, QuickBooks/ChargeOver sent dots)', () => {
    const r = id({ type: 'CC', number: '1.020.304.050' });
    expect(r.success && r.data.identification).toEqual({ type: 'CC', number: '1020304050' });
    for (const type of ['TI', 'RC', 'NUIP'] as const) {
      const t = id({ type, number: ' 1 020 304 050 ' });
      expect(t.success && t.data.identification?.number).toBe('1020304050');
    }
  });

  it('numeric Colombian types refuse anything but digits (a hyphen would hide a check digit)', () => {
    expect(problems(company({ identification: { type: 'CC', number: '1020304050-1' } }))).toEqual([
      '/identification/number a CC is digits only (dots and spaces allowed)',
    ]);
    expect(problems(company({ identification: { type: 'RC', number: 'A1234' } }))).toHaveLength(1);
  });

  it('NIT: separators and a DV after the hyphen, DV computed when absent, wrong DV refused', () => {
    const r = id({ type: 'NIT', number: '900.373.913-4' });
    expect(r.success && r.data.identification).toEqual({
      type: 'NIT',
      number: '900373913',
      checkDigit: '4',
      country: 'CO',
    });
    expect(problems(company({ identification: { type: 'NIT', number: '900.373.913-5' } }))).toEqual([
      '/identification/checkDigit wrong NIT check digit: 900373913 has DV 4',
    ]);
  });

  it('our NIT check digit agrees with stdnum co/nit wherever stdnum applies (7 to 15 digits)', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 500; i++) {
      const len = 7 + (next() % 9);
      const nit = String(1 + (next() % 9)) + Array.from({ length: len - 1 }, () => next() % 10).join('');
      const dv = nitCheckDigit(nit);
      expect(coNit.validate(`${nit}${dv}`).isValid, nit).toBe(true);
      expect(coNit.validate(`${nit}${(dv + 1) % 10}`).isValid, nit).toBe(false);
    }
  });

  it('other types: upper-case, separators removed ("ab 123-456/7" → "AB1234567")', () => {
    const r = id({ type: 'PP', number: 'ab 123-456/7' });
    expect(r.success && r.data.identification?.number).toBe('AB1234567');
  });

  it('hostile characters in a number are refused with the pointer', () => {
    for (const number of ["AB'1", 'AB"1', 'AB\\1', 'AB<1>', 'AB%1']) {
      expect(problems(company({ identification: { type: 'PP', number } }))).toEqual([
        '/identification/number letters and digits only (spaces, dots, hyphens and slashes are removed)',
      ]);
    }
  });

  // Valid numbers from stdnum's own test vectors; each wrong one differs in its check digit (RFC: its date).
  const CHECKED: [
    string,
    NonNullable<UnifiedCustomerInput['identification']>['type'],
    'person' | 'company',
    string,
    string,
    string,
  ][] = [
    // RFC: a wrong check digit passes (python-stdnum's default; the SAT issued many), a wrong date does not.
    ['MX', 'TAX_ID', 'company', 'MAB-930714-8T5', 'MAB9307148T5', 'MAB-931314-8T4'],
    ['MX', 'TAX_ID', 'person', 'GODE 561231 GR8', 'GODE561231GR8', 'GODE 561232 GR8'],
    ['CL', 'TAX_ID', 'company', '76.086.428-5', '760864285', '76.086.428-4'],
    ['PE', 'TAX_ID', 'company', '20512333797', '20512333797', '20512333798'],
    ['ES', 'VAT', 'company', 'ES B-58378431', 'ESB58378431', 'ES B-58378432'],
    ['ES', 'TAX_ID', 'person', '54362315-K', '54362315K', '54362315-Z'],
    ['SE', 'ORG_NO', 'company', '556677-8899', '5566778899', '556677-8898'],
    ['SE', 'VAT', 'company', 'SE 5566778899 01', 'SE556677889901', 'SE 5566778898 01'],
    ['ZA', 'VAT', 'company', '499 9999 999', '4999999999', '399 9999 999'],
    ['BR', 'TAX_ID', 'person', '390.533.447-05', '39053344705', '390.533.447-06'],
    ['BR', 'TAX_ID', 'company', '16.727.230/0001-97', '16727230000197', '16.727.230/0001-98'],
    ['GB', 'VAT', 'company', 'GB 980 7806 84', 'GB980780684', 'GB 980 7806 85'],
    ['US', 'TAX_ID', 'company', '04-3456789', '043456789', '00-3456789'],
    ['CA', 'TAX_ID', 'company', '12302 6635', '123026635', '12302 6636'],
  ];

  it.each(CHECKED)(
    '%s %s (%s): %s → %s; %s refused at /identification/number',
    (country, type, personType, given, normalized, wrong) => {
      const base = { personType, name: { company: 'X', first: 'A', last: 'B' } };
      const ok = customerSchema.safeParse({ ...base, identification: { type, number: given, country } });
      expect(ok.success && ok.data.identification?.number).toBe(normalized);
      const bad = problems({ ...base, identification: { type, number: wrong, country } });
      expect(bad).toHaveLength(1);
      expect(bad[0]).toMatch(new RegExp(`^/identification/number not a valid .* for ${country}`));
    },
  );

  it('the country comes from identification.country, else the billing address', () => {
    expect(
      problems(
        company({
          identification: { type: 'TAX_ID', number: '76.086.428-4' },
          billingAddress: { lines: ['x'], country: 'CL' },
        }),
      ),
    ).toHaveLength(1);
    // Same number, Colombian address, no country of its own: not a Chilean RUT to check.
    expect(problems(company({ identification: { type: 'TAX_ID', number: '76.086.428-4' } }))).toEqual([]);
  });

  it('countries stdnum is not asked about are normalized only', () => {
    const r = id({ type: 'VAT', number: 'pa-123 456', country: 'PA' });
    expect(r.success && r.data.identification?.number).toBe('PA123456');
  });
});

describe('e-mail: internationalized domains in their ASCII form', () => {
  it('ventas@señal.co is accepted and kept as ventas@xn--seal-hqa.co (the issue: refused for every ERP)', () => {
    expect(parse(company({ email: 'ventas@señal.co' })).email).toBe('ventas@xn--seal-hqa.co');
    expect(parse(company({ email: nfd(' ventas@SEÑAL.CO ') })).email).toBe('ventas@xn--seal-hqa.co');
    expect(parse(company({ email: 'ventas@xn--seal-hqa.co' })).email).toBe('ventas@xn--seal-hqa.co');
    expect(asciiEmail('Info@Example.COM')).toBe('Info@example.com');
  });

  it('contacts too; the local part stays as sent', () => {
    const c = parse(company({ contacts: [{ firstName: 'Ana', email: "O'Brien.Ana@müller.de" }] }));
    expect(c.contacts?.[0]?.email).toBe("O'Brien.Ana@xn--mller-kva.de");
  });

  it('a non-ASCII local part is refused at /email (no ERP documents SMTPUTF8)', () => {
    expect(problems(company({ email: 'josé@señal.co' }))).toEqual([
      '/email the part before @ must be ASCII (no ERP documents SMTPUTF8 mailboxes); internationalized domains are accepted',
    ]);
    expect(problems(company({ email: 'ventas@señal' }))).toEqual(['/email must be an email address']);
    expect(problems(company({ email: 'ventas@exa mple.co' }))).toEqual(['/email must be an email address']);
  });
});

describe('phones: read and checked against their country with libphonenumber', () => {
  it('"12345" is refused at /phones/0/number (NetSuite: "Phone number should have seven digits or more")', () => {
    expect(
      problems(company({ phones: [{ number: '12345' }], billingAddress: { lines: ['x'], country: 'US' } })),
    ).toEqual(['/phones/0/number wrong length for a phone number of US (+1)']);
    expect(problems(company({ phones: [{ countryCode: '57', number: '12345' }] }))).toEqual([
      '/phones/0/number wrong length for a phone number of CO (+57)',
    ]);
  });

  it('numbers outside the numbering plan are refused: (555) 555-5555, a CO number starting with 1', () => {
    expect(problems(company({ phones: [{ countryCode: '1', number: '(555) 555-5555' }] }))).toEqual([
      '/phones/0/number not a number in the numbering plan of +1',
    ]);
    expect(problems(company({ phones: [{ number: '1234567890' }] }))).toEqual([
      '/phones/0/number not a number in the numbering plan of CO (+57)',
    ]);
  });

  it('reads the number against its calling code, a leading +, or the address country', () => {
    const c = parse(
      company({
        phones: [
          { number: '300 600 3345', extension: '132' },
          { kind: 'mobile', countryCode: '+57', number: '300-600-3345' },
          { kind: 'fax', number: '+44 (0)20 7946 0018' },
          { kind: 'other', countryCode: '1', number: '268 460 1234' },
        ],
      }),
    );
    expect(c.phones).toEqual([
      { kind: 'primary', countryCode: '57', number: '3006003345', extension: '132' },
      { kind: 'mobile', countryCode: '57', number: '3006003345' },
      { kind: 'fax', countryCode: '44', number: '2079460018' },
      { kind: 'other', countryCode: '1', number: '2684601234' },
    ]);
    expect(c.phones?.map(phoneText)).toEqual([
      '+57 300 6003345 ext. 132',
      '+57 300 6003345',
      '+44 20 7946 0018',
      '+1 268 460 1234',
    ]);
  });

  it('an extension written after the number, as phoneText writes it, is read into extension', () => {
    const c = parse(
      company({
        phones: [
          { number: '+57 300 6003345 ext. 132' },
          { number: '300 600 3345 x132' },
          { number: '(601) 300 6003 extensión 7' },
          { number: '300 600 3345 anexo 21', extension: '21' },
        ],
      }),
    );
    expect(c.phones?.map(phoneText)).toEqual([
      '+57 300 6003345 ext. 132',
      '+57 300 6003345 ext. 132',
      '+57 601 3006003 ext. 7',
      '+57 300 6003345 ext. 21',
    ]);
    expect(problems(company({ phones: [{ number: '300 600 3345 ext. 132', extension: '133' }] }))).toEqual([
      '/phones/0/number the extension written in the number (132) differs from extension (133)',
    ]);
    expect(problems(company({ phones: [{ number: '300 600 3345 ext.' }] }))[0]).toMatch(
      /^\/phones\/0\/number/,
    );
  });

  it('a countryCode that contradicts the +prefix, or no country at all, is refused at /countryCode', () => {
    expect(problems(company({ phones: [{ countryCode: '57', number: '+44 20 7946 0018' }] }))).toEqual([
      '/phones/0/countryCode +57 differs from the +44 the number starts with',
    ]);
    expect(
      problems({ personType: 'company', name: { company: 'X' }, phones: [{ number: '3006003345' }] }),
    ).toEqual([
      '/phones/0/countryCode the number cannot be read without its country: send countryCode (e.g. "57"), a number starting with +, or a billingAddress.country',
    ]);
  });

  it("contacts' phones are checked the same way, with their own pointer", () => {
    expect(problems(company({ contacts: [{ firstName: 'Ana', phone: { number: '12345' } }] }))).toEqual([
      '/contacts/0/phone/number wrong length for a phone number of CO (+57)',
    ]);
  });

  it('letters other than an extension marker are refused in the number', () => {
    for (const number of ['300 600 3345 abc', '1-800-SIIGO-CO', '300 600 3345 ext 12a']) {
      expect(problems(company({ phones: [{ number }] }))).toEqual([
        '/phones/0/number digits, optionally with a leading + and spaces ( ) . - / between them, then an extension ("ext. 132")',
      ]);
    }
  });
});
