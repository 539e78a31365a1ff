import { colombianDepartment, colombianDepartmentByIso, colombianMunicipality } from './colombia';
import { subdivision, subdivisionsOf } from './subdivisions';

/** The geographic part of a unified address. */
export interface GeoAddress {
  country: string;
  stateCode?: string;
  cityCode?: string;
  state?: string;
  city?: string;
}

export interface GeoIssue {
  /** The address field at fault. */
  field: 'stateCode' | 'cityCode';
  code: 'invalid_reference';
  message: string;
}

/** Codes typed through a spreadsheet lose their leading zero ("5001" for Medellín's 05001). */
function danePad(code: string, width: number): string {
  return /^\d+$/.test(code) && code.length === width - 1 ? `0${code}` : code;
}

/**
 * Checks that an address's codes exist and belong together, and puts them in their one canonical form:
 * - Colombia: `stateCode` is the DANE department ("05"; ISO "CO-ANT"/"ANT" and a lost leading zero are
 *   accepted and rewritten), `cityCode` a DANE municipality ("05001") of that department; a missing `stateCode`
 *   is taken from the municipality.
 * - Elsewhere: `stateCode` is the ISO 3166-2 subdivision code without the country ("CA"; "US-CA" is accepted
 *   and rewritten); `cityCode` has no national table and is kept as given.
 * Pure and idempotent: a normalised address normalises to itself.
 */
export function normalizeGeography<A extends GeoAddress>(
  a: A,
): { address: A & GeoAddress; issues: GeoIssue[] } {
  return a.country === 'CO' ? colombian(a) : elsewhere(a);
}

function colombian<A extends GeoAddress>(a: A): { address: A; issues: GeoIssue[] } {
  const issues: GeoIssue[] = [];
  const out: A = { ...a };
  if (a.stateCode !== undefined) {
    const dept =
      colombianDepartment(danePad(a.stateCode, 2)) ??
      (/^[A-Za-z-]+$/.test(a.stateCode) ? colombianDepartmentByIso(a.stateCode) : undefined);
    if (dept) out.stateCode = dept.code;
    else {
      issues.push({
        field: 'stateCode',
        code: 'invalid_reference',
        message: `${a.stateCode} is not a Colombian department: use its 2-digit DANE code (e.g. 05 Antioquia, 11 Bogotá, D.C.) or ISO 3166-2 code (CO-ANT)`,
      });
    }
  }
  if (a.cityCode !== undefined) {
    const city = colombianMunicipality(danePad(a.cityCode, 5));
    if (!city) {
      issues.push({
        field: 'cityCode',
        code: 'invalid_reference',
        message: `${a.cityCode} is not a Colombian municipality: use its 5-digit DANE (DIVIPOLA) code, e.g. 05001 Medellín, 11001 Bogotá, D.C.`,
      });
    } else {
      out.cityCode = city.code;
      const dept = colombianDepartment(city.departmentCode);
      if (out.stateCode === undefined) out.stateCode = city.departmentCode;
      else if (issues.length === 0 && out.stateCode !== city.departmentCode) {
        issues.push({
          field: 'cityCode',
          code: 'invalid_reference',
          message: `${city.code} (${city.label}) is in department ${city.departmentCode} (${dept?.label}), not in ${out.stateCode}`,
        });
      }
    }
  }
  return { address: out, issues };
}

function elsewhere<A extends GeoAddress>(a: A): { address: A; issues: GeoIssue[] } {
  if (a.stateCode === undefined) return { address: a, issues: [] };
  const s = subdivision(a.country, a.stateCode);
  if (s) return { address: { ...a, stateCode: s.suffix }, issues: [] };
  const examples = subdivisionsOf(a.country)
    .slice(0, 3)
    .map((x) => `${x.suffix} ${x.name}`);
  return {
    address: a,
    issues: [
      {
        field: 'stateCode',
        code: 'invalid_reference',
        message: examples.length
          ? `${a.stateCode} is not a subdivision of ${a.country}: use its ISO 3166-2 code, e.g. ${examples.join(', ')}`
          : `${a.country} has no ISO 3166-2 subdivisions: leave stateCode out`,
      },
    ],
  };
}

/**
 * The subdivision's name for ERPs that store a state/province as text: the caller's `state` when given, else
 * the name behind `stateCode` (DANE's department name in normal case for Colombia, ISO 3166-2's elsewhere).
 * `maxLength`: an ERP's limit; a derived DANE name longer than it gives way to the ISO 3166-2 name
 * ("Archipiélago de San Andrés, Providencia y Santa Catalina" → "San Andrés, Providencia y Santa Catalina").
 */
export function stateName(a: GeoAddress, maxLength = Number.POSITIVE_INFINITY): string | undefined {
  if (a.state) return a.state;
  if (!a.stateCode) return undefined;
  if (a.country === 'CO') {
    const dept = colombianDepartment(a.stateCode);
    if (!dept) return undefined;
    return dept.label.length <= maxLength ? dept.label : subdivision('CO', dept.iso)?.name;
  }
  return subdivision(a.country, a.stateCode)?.name;
}

/** The city for ERPs that store it as text: the caller's `city`, else the DANE name behind a Colombian `cityCode`. */
export function cityName(a: GeoAddress): string | undefined {
  if (a.city) return a.city;
  if (a.country === 'CO' && a.cityCode) return colombianMunicipality(a.cityCode)?.label;
  return undefined;
}
