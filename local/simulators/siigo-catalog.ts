/**
 * A small slice of Siigo's catalogues for the simulator: DANE departments and municipalities (Siigo's
 * "Lista de ciudades"), the DIAN id types and fiscal responsibilities, and a couple of Siigo Nube users.
 */
export interface City {
  country_code: string;
  country_name: string;
  state_code: string;
  state_name: string;
  city_code: string;
  city_name: string;
}

const CO = (state_code: string, state_name: string, city_code: string, city_name: string): City => ({
  country_code: 'Co',
  country_name: 'Colombia',
  state_code,
  state_name,
  city_code,
  city_name,
});

export const CITIES: City[] = [
  CO('05', 'Antioquia', '05001', 'Medellín'),
  CO('05', 'Antioquia', '05088', 'Bello'),
  CO('05', 'Antioquia', '05266', 'Envigado'),
  CO('05', 'Antioquia', '05360', 'Itagüí'),
  CO('08', 'Atlántico', '08001', 'Barranquilla'),
  CO('11', 'Bogotá D.C.', '11001', 'Bogotá'),
  CO('13', 'Bolívar', '13001', 'Cartagena'),
  CO('17', 'Caldas', '17001', 'Manizales'),
  CO('19', 'Cauca', '19001', 'Popayán'),
  CO('23', 'Córdoba', '23001', 'Montería'),
  CO('25', 'Cundinamarca', '25175', 'Chía'),
  CO('25', 'Cundinamarca', '25754', 'Soacha'),
  CO('47', 'Magdalena', '47001', 'Santa Marta'),
  CO('50', 'Meta', '50001', 'Villavicencio'),
  CO('54', 'Norte de Santander', '54001', 'Cúcuta'),
  CO('66', 'Risaralda', '66001', 'Pereira'),
  CO('68', 'Santander', '68001', 'Bucaramanga'),
  CO('73', 'Tolima', '73001', 'Ibagué'),
  CO('76', 'Valle del Cauca', '76001', 'Cali'),
  // The blueprint's foreign example (US / 01 / 0101).
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

/** Siigo Nube user ids that related_users may name (the blueprint's examples). */
export const USER_IDS = new Set([625, 629]);

/** DIAN "módulo 11" check digit, computed here as Siigo does ("se calcula automáticamente"). */
export function nitDv(nit: string): string {
  const w = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];
  const digits = nit.split('').reverse();
  const s = digits.reduce((acc, d, i) => acc + Number(d) * (w[i] ?? 0), 0);
  const r = s % 11;
  return String(r <= 1 ? r : 11 - r);
}
