import { describe, expect, it } from 'vitest';
import { detectDelimiter, readCsv, rowKey } from '../../scripts/import/csv';
import { columnFor, headerTarget, mappingSchema, mapRow } from '../../scripts/import/mapping';

describe('readCsv (csv-parse): what spreadsheets export', () => {
  it('`;` with a BOM, quoted delimiters, quotes and newlines, decomposed accents', () => {
    const text = '\ufeffnombre;dirección\n"Núñez; Hermanos";"Calle 1\nPiso ""2"""\nCafe\u0301;Cra 7\n';
    const csv = readCsv(text);
    expect(csv).toMatchObject({ delimiter: ';', bom: true, headers: ['nombre', 'dirección'] });
    expect(csv.rows).toEqual([
      { line: 2, cells: { nombre: 'Núñez; Hermanos', dirección: 'Calle 1\nPiso "2"' } },
      { line: 4, cells: { nombre: 'Cafe\u0301', dirección: 'Cra 7' } },
    ]);
  });

  it('`,` without a BOM; empty lines skipped; CRLF', () => {
    const csv = readCsv('a,b\r\n1,"x,y"\r\n\r\n2,z\r\n');
    expect(csv.delimiter).toBe(',');
    expect(csv.rows.map((r) => r.cells)).toEqual([
      { a: '1', b: 'x,y' },
      { a: '2', b: 'z' },
    ]);
  });

  it('decides the delimiter on the header line only, outside quotes', () => {
    expect(detectDelimiter('"a;b",c,d\n1;2;3;4;5')).toBe(',');
    expect(detectDelimiter('a;b;"c,d"')).toBe(';');
  });

  it('keys a row by its id column, else by its content (the same row, the same key)', () => {
    const [r1, r2] = readCsv('id,n\n7,x\n8,x\n').rows;
    expect(rowKey(r1 as never, 'id')).toBe('csv-id-7');
    expect(rowKey(r1 as never)).not.toBe(rowKey(r2 as never));
    expect(rowKey(r1 as never)).toBe(rowKey(readCsv('n,id\nx,7\n').rows[0] as never));
  });

  it('ids that differ only in non-ASCII letters are two rows; the same text composed or decomposed is one', () => {
    const rows = readCsv('id,n\nNiño-1,x\nNiøo-1,x\nNin\u0303o-1,x\n').rows as never[];
    const [a, b, c] = rows.map((r) => rowKey(r, 'id'));
    expect(a).not.toBe(b);
    expect(a).toBe(c);
    expect(a).toMatch(/^[\x21-\x7e]{1,255}$/);
    // No id column: the same cells in NFD hash like the NFC ones.
    const [nfc, nfd] = [readCsv('n\nJosé\n'), readCsv('n\nJose\u0301\n')].map((f) =>
      rowKey(f.rows[0] as never),
    );
    expect(nfc).toBe(nfd);
    // A very long id still makes a valid, distinct key.
    const long = readCsv(`id\n${'é'.repeat(150)}1\n${'é'.repeat(150)}2\n`).rows as never[];
    const [l1, l2] = long.map((r) => rowKey(r, 'id'));
    expect(l1).not.toBe(l2);
    expect(l1).toMatch(/^[\x21-\x7e]{1,255}$/);
  });
});

describe('mapping a row to the unified customer', () => {
  it('headers as paths, with types; empty cells left out; the column named back from a pointer', () => {
    expect(headerTarget('billingAddress.lines.0')).toEqual({
      pointer: '/billingAddress/lines/0',
      type: 'string',
    });
    expect(headerTarget('erpFields.customertypeid:number')?.type).toBe('number');
    const m = mapRow(
      {
        'name.company': 'Acme',
        'erpFields.customertypeid:number': '2',
        'tax.vatResponsible:boolean': 'sí',
        email: '',
      },
      mappingSchema.parse({}),
    );
    expect(m.customer).toEqual({
      name: { company: 'Acme' },
      erpFields: { customertypeid: 2 },
      tax: { vatResponsible: true },
    });
    expect(columnFor('/email', m.sources)).toBe('email');
  });

  it('a mapping file: columns, types (lists, decimal commas), defaults, the id column left out', () => {
    const mapping = mappingSchema.parse({
      idColumn: 'Código',
      columns: {
        'Razón social': '/name/company',
        Límite: { pointer: '/erpFields/creditLimit', type: 'number' },
        Resp: { pointer: '/tax/fiscalResponsibilities', type: 'list' },
      },
      defaults: { '/personType': 'company' },
    });
    const m = mapRow(
      { Código: 'C1', 'Razón social': 'Núñez', Límite: '1.234,5', Resp: 'O-13 | O-15', Otra: 'x' },
      mapping,
    );
    expect(m.customer).toEqual({
      personType: 'company',
      name: { company: 'Núñez' },
      erpFields: { creditLimit: 1234.5 },
      tax: { fiscalResponsibilities: ['O-13', 'O-15'] },
    });
    expect(m.unmapped).toEqual(['Otra']);
    expect(columnFor('/tax/fiscalResponsibilities/1', m.sources)).toBe('Resp');
  });
});
