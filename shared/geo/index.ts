export { cityName, type GeoAddress, type GeoIssue, normalizeGeography, stateName } from './address';
export {
  type ColombianDepartment,
  type ColombianMunicipality,
  colombianDepartment,
  colombianDepartmentByIso,
  colombianDepartments,
  colombianMunicipalities,
  colombianMunicipality,
  DIVIPOLA_VERSION,
} from './colombia';
export { type CountryNameLocale, countryName } from './country-names';
export { foldPlaceName, spanishTitleCase } from './names';
export { type ProvinceFound, provinceOfPostalCode, spanishProvince } from './spain';
export { type Subdivision, subdivision, subdivisionByName, subdivisionsOf } from './subdivisions';
