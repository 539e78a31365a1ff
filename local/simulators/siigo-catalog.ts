import { colombianDepartment, colombianMunicipalities } from '../../shared/geo/colombia';

/**
 * Siigo's catalogues for the simulator: DANE departments and municipalities (Siigo's "Lista de ciudades"), the
 * DIAN id types and fiscal responsibilities, and a couple of Siigo Nube users.
 */
export interface City {
  country_code: string;
  country_name: string;
  state_code: string;
  state_name: string;
  city_code: string;
  city_name: string;
}

/**
 * Siigo's "Lista de ciudades" for Colombia is DANE's DIVIPOLA (department and municipality codes): the whole
 * table (shared/geo), with DANE's names in normal case as Siigo prints them.
 */
const COLOMBIA: City[] = colombianMunicipalities().map((m) => ({
  country_code: 'Co',
  country_name: 'Colombia',
  state_code: m.departmentCode,
  state_name: colombianDepartment(m.departmentCode)?.label ?? m.departmentCode,
  city_code: m.code,
  city_name: m.label,
}));

export const CITIES: City[] = [
  ...COLOMBIA,
  // The blueprint's foreign example (US / 01 / 0101): Siigo's own codes, not ISO.
  {
    country_code: 'US',
    country_name: 'Estados Unidos',
    state_code: '01',
    state_name: 'Nueva York',
    city_code: '0101',
    city_name: 'Nueva York',
  },
];

/** id_type code → name and the rule for `identification` (SG-APIB L2488-2506). */
export const ID_TYPES: Record<string, { name: string; numeric: boolean; max: number }> = {
  '13': { name: 'Cédula de ciudadanía', numeric: true, max: 13 },
  '31': { name: 'NIT', numeric: true, max: 13 },
  '11': { name: 'Registro civil', numeric: true, max: 13 },
  '12': { name: 'Tarjeta de identidad', numeric: false, max: 20 },
  '21': { name: 'Tarjeta de extranjería', numeric: false, max: 20 },
  '22': { name: 'Cédula de extranjería', numeric: false, max: 20 },
  '41': { name: 'Pasaporte', numeric: false, max: 20 },
  '42': { name: 'Documento de identificación extranjero', numeric: false, max: 20 },
  '43': { name: 'Sin identificación del exterior o para uso definido por la DIAN', numeric: false, max: 20 },
  '47': { name: 'Permiso especial de permanencia PEP', numeric: false, max: 20 },
  '48': { name: 'Permiso protección temporal PPT', numeric: false, max: 20 },
  '50': { name: 'NIT de otro país', numeric: false, max: 20 },
  '89': { name: 'Salvoconducto de permanencia', numeric: false, max: 20 },
  '91': { name: 'NUIP', numeric: false, max: 20 },
  'R-00-PN': { name: 'No obligado a registrarse en el RUT PN', numeric: false, max: 13 },
};

export const FISCAL_RESPONSIBILITIES: Record<string, string> = {
  'R-99-PN': 'No aplica - Otros',
  'O-13': 'Gran contribuyente',
  'O-15': 'Autorretenedor',
  'O-23': 'Agente de retención IVA',
  'O-47': 'Régimen simple de tributación',
};

/** Siigo Nube users (GET /v1/users, blueprint "Usuarios" L5360); related_users may name the active ones. */
export const USERS = [
  {
    id: 625,
    username: 'ventas@empresa.co',
    first_name: 'Lucía',
    last_name: 'Ramírez',
    email: 'ventas@empresa.co',
    active: true,
    identification: '52123456',
  },
  {
    id: 629,
    username: 'cobros@empresa.co',
    first_name: 'Andrés',
    last_name: 'Peña',
    email: 'cobros@empresa.co',
    active: true,
    identification: '80123456',
  },
  {
    id: 631,
    username: 'antiguo@empresa.co',
    first_name: 'Jorge',
    last_name: 'Díaz',
    email: 'antiguo@empresa.co',
    active: false,
    identification: '79123456',
  },
];

/** User ids that related_users may name: the active users. */
export const USER_IDS = new Set(USERS.filter((u) => u.active).map((u) => u.id));

/** DIAN "módulo 11" check digit, computed here as Siigo does ("se calcula automáticamente"). */
export function nitDv(nit: string): string {
  const w = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];
  const digits = nit.split('').reverse();
  const s = digits.reduce((acc, d, i) => acc + Number(d) * (w[i] ?? 0), 0);
  const r = s % 11;
  return String(r <= 1 ? r : 11 - r);
}
