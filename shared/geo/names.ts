/**
 * Comparable form of a place name: NFD with the combining marks removed, lower case, punctuation and runs of
 * spaces folded to one space. "BOGOTÁ, D.C." and "Bogota D.C" compare equal; used only to match, never sent.
 */
export function foldPlaceName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Spanish particles that stay lower case inside a place name ("San Pedro de los Milagros"). */
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'e']);

/**
 * DANE publishes names in capitals ("SAN ANDRÉS DE TUMACO"); ERPs show them in normal case. First letters up,
 * Spanish particles down (except first), initialisms with dots up ("D.C."), words after a hyphen capitalised.
 */
export function spanishTitleCase(upper: string): string {
  let first = true;
  return upper
    .toLowerCase()
    .split(/(\s+|-)/)
    .map((token) => {
      if (!/\p{L}/u.test(token)) return token;
      const word = token.replace(/[,.]/g, '');
      const out = /^(\p{L}\.)+,?$/u.test(token)
        ? token.toUpperCase()
        : !first && PARTICLES.has(word)
          ? token
          : token.charAt(0).toUpperCase() + token.slice(1);
      first = false;
      return out;
    })
    .join('');
}
