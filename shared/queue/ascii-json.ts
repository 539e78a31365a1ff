/**
 * JSON with every non-ASCII character written as a \uXXXX escape. SQS accepts only some Unicode ranges in a
 * body (and emulators fewer: fauxqs refuses anything above U+FFFF, emoji included); an ASCII body is valid
 * everywhere and JSON.parse gives back the exact same strings.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
