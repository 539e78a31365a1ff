import { describe, expect, it } from 'vitest';
import {
  cityName,
  colombianDepartment,
  colombianDepartments,
  colombianMunicipalities,
  colombianMunicipality,
  countryName,
  normalizeGeography,
  provinceOfPostalCode,
  spanishProvince,
  spanishTitleCase,
  stateName,
  subdivision,
  subdivisionByName,
  subdivisionsOf,
} from '../../shared/geo';
import divipola from '../../shared/geo/data/co-divipola.json' with { type: 'json' };

describe('DANE DIVIPOLA table', () => {
  it('holds what DANE counts: 33 departments; 1,103 municipios, 1 isla and 18 áreas no municipalizadas', () => {
    expect(colombianDepartments()).toHaveLength(33);
    const kinds = colombianMunicipalities().map((m) => m.kind);
    expect(kinds.filter((k) => k === 'municipio')).toHaveLength(1103);
    expect(kinds.filter((k) => k === 'isla')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'area_no_municipalizada')).toHaveLength(18);
    expect(divipola.source).toMatch(/DANE/);
    expect(divipola.version).toMatch(/DIVIPOLA/);
  });

  it('codes are 2 and 5 digits, unique, and every municipality is in a listed department', () => {
    for (const d of colombianDepartments()) expect(d.code).toMatch(/^\d{2}$/);
    const codes = colombianMunicipalities().map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const m of colombianMunicipalities()) {
      expect(m.code).toMatch(/^\d{5}$/);
      expect(colombianDepartment(m.departmentCode), m.code).toBeDefined();
    }
  });

  it('every department has a municipality and an ISO 3166-2 code that names the same department', () => {
    for (const d of colombianDepartments()) {
      expect(
        colombianMunicipalities().some((m) => m.departmentCode === d.code),
        d.code,
      ).toBe(true);
      const iso = subdivision('CO', d.iso);
      expect(iso, d.iso).toBeDefined();
    }
    expect(new Set(colombianDepartments().map((d) => d.iso)).size).toBe(33);
    expect(subdivisionsOf('CO')).toHaveLength(33);
  });

  it('knows the DANE codes the ERPs and their examples use, and recent changes', () => {
    expect(colombianMunicipality('11001')?.label).toBe('Bogotá, D.C.');
    expect(colombianMunicipality('05001')?.label).toBe('Medellín');
    expect(colombianMunicipality('19001')?.label).toBe('Popayán');
    expect(colombianMunicipality('76001')?.label).toBe('Santiago de Cali');
    // 2024: Nuevo Belén de Bajirá (Chocó) is 27493; 27086 no longer exists.
    expect(colombianMunicipality('27493')?.label).toBe('Nuevo Belén de Bajirá');
    expect(colombianMunicipality('27086')).toBeUndefined();
    // Barrancominas became a municipio in 2019.
    expect(colombianMunicipality('94343')?.kind).toBe('municipio');
    expect(colombianDepartment('11')?.label).toBe('Bogotá, D.C.');
  });
});

describe('spanishTitleCase', () => {
  it.each([
    ['SAN PEDRO DE LOS MILAGROS', 'San Pedro de los Milagros'],
    ['BOGOTÁ, D.C.', 'Bogotá, D.C.'],
    [
      'ARCHIPIÉLAGO DE SAN ANDRÉS, PROVIDENCIA Y SANTA CATALINA',
      'Archipiélago de San Andrés, Providencia y Santa Catalina',
    ],
    ['MIRITÍ - PARANÁ', 'Mirití - Paraná'],
    ['LA JAGUA DE IBIRICO', 'La Jagua de Ibirico'],
    ['ÚMBITA', 'Úmbita'],
  ])('%s → %s', (upper, label) => {
    expect(spanishTitleCase(upper)).toBe(label);
  });
});

describe('normalizeGeography (the schema uses it for both addresses)', () => {
  it('Colombia: DANE codes as given, ISO department codes and lost leading zeros rewritten', () => {
    expect(normalizeGeography({ country: 'CO', stateCode: '11', cityCode: '11001' })).toEqual({
      address: { country: 'CO', stateCode: '11', cityCode: '11001' },
      issues: [],
    });
    expect(normalizeGeography({ country: 'CO', stateCode: 'CO-ANT' }).address.stateCode).toBe('05');
    expect(normalizeGeography({ country: 'CO', stateCode: 'dc' }).address.stateCode).toBe('11');
    expect(normalizeGeography({ country: 'CO', stateCode: '5', cityCode: '5001' }).address).toEqual({
      country: 'CO',
      stateCode: '05',
      cityCode: '05001',
    });
  });

  it('Colombia: the department is taken from the city when absent', () => {
    expect(normalizeGeography({ country: 'CO', cityCode: '19001' }).address.stateCode).toBe('19');
  });

  it('Colombia: unknown codes and a city outside its department are refused at the code', () => {
    const bad = (a: Parameters<typeof normalizeGeography>[0]) =>
      normalizeGeography(a).issues.map((i) => `${i.field}: ${i.message}`);
    expect(bad({ country: 'CO', stateCode: '12' })).toEqual([expect.stringMatching(/^stateCode: 12 is not/)]);
    expect(bad({ country: 'CO', cityCode: '11999' })).toEqual([
      expect.stringMatching(/^cityCode: 11999 is not/),
    ]);
    expect(bad({ country: 'CO', stateCode: '05', cityCode: '11001' })).toEqual([
      'cityCode: 11001 (Bogotá, D.C.) is in department 11 (Bogotá, D.C.), not in 05',
    ]);
    expect(bad({ country: 'CO', stateCode: 'CA' })).toHaveLength(1);
  });

  it('elsewhere: ISO 3166-2 codes of the country, with or without its prefix', () => {
    expect(normalizeGeography({ country: 'US', stateCode: 'us-ca' }).address.stateCode).toBe('CA');
    expect(normalizeGeography({ country: 'MX', stateCode: 'CMX' }).issues).toEqual([]);
    expect(normalizeGeography({ country: 'ES', stateCode: 'B' }).issues).toEqual([]);
    // A state of another country, a DANE code outside Colombia, a Colombian department for the US.
    for (const [country, stateCode] of [
      ['GB', 'CA'],
      ['US', '11'],
      ['US', 'ANT'],
      ['MX', 'California'],
    ] as const) {
      expect(normalizeGeography({ country, stateCode }).issues, `${country} ${stateCode}`).toEqual([
        expect.objectContaining({ field: 'stateCode', code: 'invalid_reference' }),
      ]);
    }
  });

  it('is idempotent (jobs are parsed again by the worker)', () => {
    for (const a of [
      { country: 'CO', stateCode: 'ANT', cityCode: '5001' },
      { country: 'CO', cityCode: '11001' },
      { country: 'US', stateCode: 'US-NY' },
    ]) {
      const once = normalizeGeography(a).address;
      expect(normalizeGeography(once).address).toEqual(once);
    }
  });
});

describe('names sent to ERPs that store text', () => {
  it('state and city names from the codes when the caller gave none; the caller’s text wins', () => {
    expect(stateName({ country: 'CO', stateCode: '11' })).toBe('Bogotá, D.C.');
    expect(stateName({ country: 'US', stateCode: 'CA' })).toBe('California');
    expect(stateName({ country: 'CO', stateCode: '11', state: 'Bogotá' })).toBe('Bogotá');
    expect(cityName({ country: 'CO', cityCode: '05001' })).toBe('Medellín');
    expect(cityName({ country: 'US', cityCode: '0101' })).toBeUndefined();
  });

  it('subdivisionByName matches names regardless of case and accents, and only uniquely', () => {
    expect(subdivisionByName('US', 'california')?.suffix).toBe('CA');
    expect(subdivisionByName('MX', 'Michoacan de Ocampo')?.suffix).toBe('MIC');
    expect(subdivisionByName('US', 'Bogotá')).toBeUndefined();
  });
});

describe('Spanish provinces', () => {
  it('from the postal code (INE prefix), a province code, a single-province community, or a name', () => {
    expect(provinceOfPostalCode('28013')?.code).toBe('ES-M');
    expect(provinceOfPostalCode('08001')?.code).toBe('ES-B');
    expect(provinceOfPostalCode('48001')?.name).toBe('Bizkaia');
    expect(provinceOfPostalCode('53000')).toBeUndefined();
    expect(spanishProvince({ stateCode: 'V' })).toMatchObject({
      from: 'stateCode',
      province: { code: 'ES-V' },
    });
    expect(spanishProvince({ stateCode: 'MD' })?.province.code).toBe('ES-M');
    expect(spanishProvince({ state: 'Sevilla' })?.province.code).toBe('ES-SE');
    // Catalunya has four provinces: the postal code decides.
    expect(spanishProvince({ stateCode: 'CT', postalCode: '17001' })).toMatchObject({
      from: 'postalCode',
      province: { code: 'ES-GI' },
    });
    expect(spanishProvince({ stateCode: 'CT' })).toBeUndefined();
  });

  it('every INE province maps to an ISO 3166-2:ES province', () => {
    for (let n = 1; n <= 52; n++) {
      const p = provinceOfPostalCode(`${String(n).padStart(2, '0')}001`);
      expect(p, String(n)).toBeDefined();
      // A province's parent is its community; Ceuta and Melilla are top-level autonomous cities.
      const isProvince = p?.parent !== 'ES' || p.code === 'ES-CE' || p.code === 'ES-ML';
      expect(isProvince, p?.code).toBe(true);
    }
  });
});

describe('country names (fixed table, not Intl.DisplayNames)', () => {
  // Labels that differ between Node/ICU releases: the table keeps them still.
  it.each([
    ['HK', 'en', 'Hong Kong'],
    ['TR', 'en', 'Türkiye'],
    ['BA', 'en', 'Bosnia and Herzegovina'],
    ['CO', 'en', 'Colombia'],
    ['HK', 'es', 'Hong Kong'],
    ['ES', 'es', 'España'],
    ['US', 'es', 'Estados Unidos'],
    ['CO', 'es', 'Colombia'],
  ] as const)('%s in %s is %s', (code, locale, name) => {
    expect(countryName(code, locale)).toBe(name);
  });
});
