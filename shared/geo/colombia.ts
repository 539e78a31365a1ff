import divipola from './data/co-divipola.json' with { type: 'json' };
import { spanishTitleCase } from './names';

/**
 * Colombia's political-administrative division (DANE DIVIPOLA, `data/co-divipola.json`): the 2-digit department
 * codes and 5-digit municipality codes Siigo and DIAN e-invoicing use, with DANE's names. `name` is DANE's
 * spelling (capitals); `label` the same name in normal case, which is what ERPs that take names are sent.
 */
export const DIVIPOLA_VERSION = divipola.version;

export interface ColombianDepartment {
  /** DANE code, 2 digits ("05"). */
  code: string;
  /** ISO 3166-2 code ("CO-ANT"). */
  iso: string;
  name: string;
  label: string;
}

export type MunicipalityKind = 'municipio' | 'isla' | 'area_no_municipalizada';

export interface ColombianMunicipality {
  /** DANE code, 5 digits; the first two are the department's ("05001"). */
  code: string;
  departmentCode: string;
  name: string;
  label: string;
  kind: MunicipalityKind;
}

/** Indexes built on first use, not at import (1,122 names to put in normal case). */
let index:
  | {
      departments: Map<string, ColombianDepartment>;
      byIso: Map<string, ColombianDepartment>;
      municipalities: Map<string, ColombianMunicipality>;
    }
  | undefined;
function indexes() {
  if (index) return index;
  const departments = new Map<string, ColombianDepartment>(
    divipola.departments.map((d) => [d.code, { ...d, label: spanishTitleCase(d.name) }]),
  );
  const municipalities = new Map<string, ColombianMunicipality>(
    divipola.municipalities.map(([code, name, kind]) => [
      code as string,
      {
        code: code as string,
        departmentCode: (code as string).slice(0, 2),
        name: name as string,
        label: spanishTitleCase(name as string),
        kind: kind as MunicipalityKind,
      },
    ]),
  );
  index = { departments, byIso: new Map([...departments.values()].map((d) => [d.iso, d])), municipalities };
  return index;
}

export function colombianDepartments(): ColombianDepartment[] {
  return [...indexes().departments.values()];
}

export function colombianMunicipalities(): ColombianMunicipality[] {
  return [...indexes().municipalities.values()];
}

/** By DANE code ("05"), or undefined. */
export function colombianDepartment(code: string): ColombianDepartment | undefined {
  return indexes().departments.get(code);
}

/** By ISO 3166-2 code, with or without the country ("CO-ANT", "ANT"), case-insensitive. */
export function colombianDepartmentByIso(code: string): ColombianDepartment | undefined {
  const upper = code.toUpperCase();
  return indexes().byIso.get(upper.startsWith('CO-') ? upper : `CO-${upper}`);
}

/** By DANE code ("05001"), or undefined. */
export function colombianMunicipality(code: string): ColombianMunicipality | undefined {
  return indexes().municipalities.get(code);
}
