import { stableHash } from '../jobs/ids';

/**
 * A fingerprint of credentials: SHA-256 (hex) over them and the scope they are used in (connection, ERP,
 * environment), never the secret itself. It tells two sets of credentials apart — to key cached upstream tokens,
 * and to recognise inline credentials an ERP already refused — and, being scoped, is never the same for the
 * same secret in another tenant's connection.
 */
export function credentialFingerprint(scope: Record<string, string>, credentials: unknown): string {
  return stableHash({ scope, credentials });
}
