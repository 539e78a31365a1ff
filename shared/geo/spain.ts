import provinces from './data/es-provinces.json' with { type: 'json' };
import { type Subdivision, subdivision, subdivisionByName } from './subdivisions';

/**
 * Spanish provinces (ISO 3166-2:ES second level, plus the autonomous cities Ceuta and Melilla), found from what
 * an address carries: a province code, an autonomous community that is a single province (Madrid, Asturias…),
 * a province name, or the postal code, whose first two digits are the province's INE code
 * (`data/es-provinces.json`).
 */
const BY_INE = new Map(Object.entries(provinces.provinces));

/** Communities made of one province: the community's code names the province too. */
const SINGLE_PROVINCE: Record<string, string> = {
  'ES-AS': 'ES-O',
  'ES-CB': 'ES-S',
  'ES-IB': 'ES-PM',
  'ES-MC': 'ES-MU',
  'ES-MD': 'ES-M',
  'ES-NC': 'ES-NA',
  'ES-RI': 'ES-LO',
};

function isProvince(s: Subdivision): boolean {
  return s.parent !== 'ES' || s.code === 'ES-CE' || s.code === 'ES-ML';
}

function asProvince(s: Subdivision | undefined): Subdivision | undefined {
  if (!s) return undefined;
  if (isProvince(s)) return s;
  const single = SINGLE_PROVINCE[s.code];
  return single ? subdivision('ES', single) : undefined;
}

/** The province a 5-digit Spanish postal code belongs to ("28013" → ES-M Madrid), or undefined. */
export function provinceOfPostalCode(postalCode: string): Subdivision | undefined {
  const pc = postalCode.replace(/\s/g, '');
  if (!/^\d{5}$/.test(pc)) return undefined;
  const iso = BY_INE.get(pc.slice(0, 2));
  return iso ? subdivision('ES', iso) : undefined;
}

export interface ProvinceFound {
  province: Subdivision;
  /** Which unified field it came from (a pointer segment). */
  from: 'stateCode' | 'state' | 'postalCode';
}

/** The province of a Spanish address, from the most explicit field that names one. */
export function spanishProvince(a: {
  stateCode?: string;
  state?: string;
  postalCode?: string;
}): ProvinceFound | undefined {
  const fromCode = a.stateCode ? asProvince(subdivision('ES', a.stateCode)) : undefined;
  if (fromCode) return { province: fromCode, from: 'stateCode' };
  const fromName = a.state ? asProvince(subdivisionByName('ES', a.state)) : undefined;
  if (fromName) return { province: fromName, from: 'state' };
  const fromPostal = a.postalCode ? provinceOfPostalCode(a.postalCode) : undefined;
  return fromPostal ? { province: fromPostal, from: 'postalCode' } : undefined;
}
