import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { Environment, ErpId, OAuthApp, OAuthApps } from '../erps/types';

const appSchema = z.strictObject({
  clientId: z.string().min(1).max(512),
  clientSecret: z.string().min(1).max(512),
});

/**
 * The operator's OAuth apps from the environment (the local stack, pointed at the simulators):
 * `<ERP>_OAUTH_CLIENT_ID` / `<ERP>_OAUTH_CLIENT_SECRET`, optionally per environment
 * (`QUICKBOOKS_OAUTH_CLIENT_ID_SANDBOX`, which wins for sandbox connections).
 */
export function envOAuthApps(env: Record<string, string | undefined> = process.env): OAuthApps {
  return {
    async get(erp, environment) {
      const name = erp.toUpperCase();
      const pick = (k: string) => env[`${name}_${k}_${environment.toUpperCase()}`] ?? env[`${name}_${k}`];
      const clientId = pick('OAUTH_CLIENT_ID');
      const clientSecret = pick('OAUTH_CLIENT_SECRET');
      return clientId && clientSecret ? { clientId, clientSecret } : undefined;
    },
  };
}

/** The secret an operator creates once per stage, ERP and environment: `<prefix><erp>/<environment>`. */
export const oauthAppSecretName = (prefix: string, erp: ErpId, environment: Environment) =>
  `${prefix}${erp}/${environment}`;

/**
 * The operator's OAuth apps on AWS: one Secrets Manager secret per ERP and environment
 * (`erp-bridge-oauth/<stage>/quickbooks/production` = `{"clientId":…,"clientSecret":…}`), read at most every
 * `ttlMs` per process. A missing secret means that ERP's consent is not offered (and such connections cannot
 * refresh); a malformed one is treated the same and logged by the caller.
 */
export class SecretsManagerOAuthApps implements OAuthApps {
  private readonly cache = new Map<string, { at: number; value: Promise<OAuthApp | undefined> }>();

  constructor(
    private readonly sm: SecretsManagerClient,
    private readonly prefix: string,
    private readonly ttlMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(erp: ErpId, environment: Environment): Promise<OAuthApp | undefined> {
    const name = oauthAppSecretName(this.prefix, erp, environment);
    const hit = this.cache.get(name);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.read(name);
    this.cache.set(name, { at: this.now(), value });
    value.catch(() => this.cache.delete(name));
    return value;
  }

  private async read(name: string): Promise<OAuthApp | undefined> {
    try {
      const r = await this.sm.send(new GetSecretValueCommand({ SecretId: name }));
      const parsed = appSchema.safeParse(JSON.parse(r.SecretString ?? '{}'));
      return parsed.success ? parsed.data : undefined;
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return undefined;
      throw e;
    }
  }
}
