// The library entry without its Node wrapper: that one registers all ~80 locales; we register only ours.
import countries from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import es from 'i18n-iso-countries/langs/es.json' with { type: 'json' };

/**
 * Country names as ERPs that store a name are sent them, from a fixed table (`i18n-iso-countries`, version
 * pinned in package.json) rather than `Intl.DisplayNames`, whose labels change with the Node/ICU release
 * ("Hong Kong SAR China", "Türkiye", "Bosnia & Herzegovina"). A name changes only when the pinned package is
 * upgraded, and a test pins the ones that differ between releases.
 */
countries.registerLocale(en);
countries.registerLocale(es);

export type CountryNameLocale = 'en' | 'es';

/** The official short name of an ISO 3166-1 alpha-2 country in `locale` ("CO" → "Colombia"); the code if unknown. */
export function countryName(iso2: string, locale: CountryNameLocale): string {
  return countries.getName(iso2.toUpperCase(), locale, { select: 'official' }) ?? iso2;
}
