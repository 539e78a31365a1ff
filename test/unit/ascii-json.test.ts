import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUnsupportedCharacters } from '../../shared/customer/text';
import { asciiJson } from '../../shared/queue/ascii-json';

describe('asciiJson (queue bodies)', () => {
  it('is pure printable ASCII and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const s = asciiJson(v);
        expect(/^[\x20-\x7e]*$/.test(s)).toBe(true);
        expect(JSON.parse(s)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps emoji and accents exactly', () => {
    expect(JSON.parse(asciiJson({ n: 'Bogotá 😀 Ñ' }))).toEqual({ n: 'Bogotá 😀 Ñ' });
  });
});

describe('findUnsupportedCharacters', () => {
  it('points at fields holding control or non-characters, and accepts emoji and accents', () => {
    expect(
      findUnsupportedCharacters({ a: 'ok 😀 ñ\t\n', b: ['x', 'bad\u0001'], c: { d: '\uFFFE' } })
        .map((i) => i.pointer)
        .sort(),
    ).toEqual(['/b/1', '/c/d']);
    expect(findUnsupportedCharacters({ lone: '\uD800x' })[0]?.pointer).toBe('/lone');
  });
});
