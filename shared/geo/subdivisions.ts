import { iso31662 } from 'iso-3166';
import { foldPlaceName } from './names';

/**
 * ISO 3166-2 subdivisions from the `iso-3166` package (wooorm/iso-3166, kept in step with the ISO Online
 * Browsing Platform): every country's states, provinces, departments, regions… with the name in the country's
 * own language ("Ciudad de México", "Illes Balears") and the parent for second-level entries (a Spanish
 * province's parent is its autonomous community).
 */
export interface Subdivision {
  /** Full ISO 3166-2 code, "US-CA". */
  code: string;
  country: string;
  /** The part after the hyphen, "CA": what most ERPs and postal systems call the state code. */
  suffix: string;
  name: string;
  /** "US" for a top-level entry, else the parent subdivision's full code ("ES-MD" for ES-M). */
  parent: string;
}

/** Indexes built on first use, not at import: a cold start that never looks at a state pays nothing. */
let index: { byCountry: Map<string, Subdivision[]>; byCode: Map<string, Subdivision> } | undefined;
function indexes() {
  if (index) return index;
  const byCountry = new Map<string, Subdivision[]>();
  const byCode = new Map<string, Subdivision>();
  for (const e of iso31662) {
    const country = e.code.slice(0, 2);
    const s: Subdivision = { code: e.code, country, suffix: e.code.slice(3), name: e.name, parent: e.parent };
    byCode.set(e.code, s);
    const list = byCountry.get(country) ?? [];
    list.push(s);
    byCountry.set(country, list);
  }
  index = { byCountry, byCode };
  return index;
}

export function subdivisionsOf(country: string): Subdivision[] {
  return indexes().byCountry.get(country.toUpperCase()) ?? [];
}

/** A subdivision of `country` by its code, with or without the country prefix ("CA", "US-CA"), case-insensitive. */
export function subdivision(country: string, code: string): Subdivision | undefined {
  const c = country.toUpperCase();
  const upper = code.trim().toUpperCase();
  const full = upper.startsWith(`${c}-`) ? upper : `${c}-${upper}`;
  return indexes().byCode.get(full);
}

/**
 * The one subdivision of `country` whose name (accents, case and punctuation aside) or code suffix is `text`
 * ("California", "california", "CA"); undefined when none or several match.
 */
export function subdivisionByName(country: string, text: string): Subdivision | undefined {
  const byCodeHit = subdivision(country, text);
  if (byCodeHit) return byCodeHit;
  const want = foldPlaceName(text);
  const hits = subdivisionsOf(country).filter((s) => foldPlaceName(s.name) === want);
  return hits.length === 1 ? hits[0] : undefined;
}
