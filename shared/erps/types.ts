import type * as z from 'zod';
import type { UnifiedCustomer } from '../customer/schema';
import type { Issue, UpstreamError } from '../errors';
import type { HttpClient } from '../http/upstream';
import type { UpstreamBlocks } from '../pacing/pacer';
import type { NativeCatalog } from './native-fields';

export const ERP_IDS = ['siigo', 'alegra', 'quickbooks', 'netsuite', 'chargeover', 'next', 'sage'] as const;
export type ErpId = (typeof ERP_IDS)[number];
export type Environment = 'sandbox' | 'production';

/**
 * What one create attempt came to, decided by the adapter from the ERP's real response (DESIGN §2).
 * `retryAfterMs` is the ERP's own hint; the worker waits for the later of it and its backoff.
 */
export type CreateOutcome =
  | { kind: 'created'; erpCustomerId: string }
  /**
   * The ERP refused a second record for a key this customer shares with an existing one. `resolved`: the adapter
   * already knows whose record it is (proven this job's, or another customer's); absent, the worker looks it up.
   */
  | { kind: 'duplicate'; upstream: UpstreamError; resolved?: LookupFound | LookupConflict }
  | { kind: 'invalid'; upstream: UpstreamError; details?: Issue[] }
  | { kind: 'auth'; upstream: UpstreamError; reauthorize?: boolean }
  | { kind: 'rate_limited'; retryAfterMs?: number; upstream: UpstreamError }
  | { kind: 'transient'; retryAfterMs?: number; upstream: UpstreamError }
  | { kind: 'unknown'; retryAfterMs?: number; upstream: UpstreamError };

/** A failed call (any outcome that is not a success). */
export type FailureOutcome = Exclude<CreateOutcome, { kind: 'created' } | { kind: 'duplicate' }>;

/**
 * A look-up hit proven to be this job's customer: the record carries this job's own identity (shared/erps/identity.ts).
 * `provenBy`: the native field(s) whose match proves it, e.g. `externalId`, `TextField1`, `requestid`.
 */
export interface LookupFound {
  kind: 'found';
  erpCustomerId: string;
  provenBy: string;
}

/**
 * A record that holds a value this customer collides with (the ERP keeps one record per value) but carries
 * another customer's identity, or none of this job's: adopting it would attach the job to the wrong customer.
 * The job fails `duplicate_conflict`. `pointer`: the unified field (RFC 6901) whose value collides;
 * `existingId`: the other record's id in the ERP (a vendor's or employee's where the ERP shares the key with them).
 */
export interface LookupConflict {
  kind: 'conflict';
  pointer: string;
  existingId: string;
  message: string;
  upstream?: UpstreamError;
}

/**
 * Result of looking a customer up (before re-creating after an unknown outcome or a crash, or after a
 * duplicate). A hit is `found` only when it carries this job's identity; a hit that does not is `conflict`.
 */
export type LookupOutcome = LookupFound | LookupConflict | { kind: 'not_found' } | FailureOutcome;

/** A unified field the target ERP cannot hold (`pointer` into the unified body, RFC 6901). */
export interface FieldWarning {
  pointer: string;
  code: 'not_supported_by_erp';
  message: string;
}

/** One value a tenant-specific field may take in this connection's ERP (GET /v1/connections/{id}/options). */
export interface OptionValue {
  /** As sent (ids as strings: `"1"` matches the number 1). */
  value: string;
  label: string;
}

/** A field whose valid values live in the tenant's ERP (a customer type, a subsidiary, a seller…). */
export interface OptionField {
  /** RFC 6901 pointer into the unified body (`/currency`, `/erpFields/customertypeid`). */
  pointer: string;
  label: string;
  required: boolean;
  /** The pointer names an array; each element must be one of `values`. */
  multiple?: boolean;
  values: OptionValue[];
}

export type OptionsOutcome = { kind: 'ok'; fields: OptionField[] } | FailureOutcome;

/** How an adapter reads a connection's options from its ERP (list endpoints, through the pacer). */
export interface OptionsSpec<C> {
  /** The pointers `fetch` returns fields for: the accept path reads the cache only when a customer sets one. */
  pointers: readonly string[];
  /** Upstream requests one fetch makes (reserved from the connection's pacing budget). */
  requests: number;
  fetch(ctx: AdapterContext<C>): Promise<OptionsOutcome>;
}

/** Result of proving credentials upstream (`PUT /v1/connections/{id}?verify=true`). */
export type VerifyOutcome = { kind: 'ok'; detail?: string } | FailureOutcome;

/** The exact native request an adapter sends to create a customer (returned by dry runs). Never holds a secret. */
export interface NativeRequest {
  method: 'POST' | 'PUT';
  url: string;
  /** Non-secret headers only (e.g. Partner-Id, Content-Type). Authorization is never included. */
  headers: Record<string, string>;
  body: unknown;
}

/** A stored connection as an adapter sees it: credentials parsed with the adapter's schema. */
export interface ConnectionHandle<C> {
  readonly tenantId: string;
  readonly connectionId: string;
  readonly environment: Environment;
  readonly credentials: C;
  /**
   * Persists new credentials (a rotated OAuth refresh token) and updates `credentials` in caches.
   * Must be awaited before the new tokens are used.
   */
  saveCredentials(next: C): Promise<void>;
  /** Reads the stored credentials again, bypassing caches (another worker may have rotated them). */
  reloadCredentials(): Promise<C>;
  /** Marks the connection as needing new credentials from the tenant (e.g. OAuth `invalid_grant`). */
  markNeedsReauth(reason: string): Promise<void>;
}

/** Names one cached upstream token: its connection and a fingerprint of its credentials (see `tokenKeyFor`). */
export interface TokenKey {
  readonly connection: string;
  readonly fingerprint: string;
}

/** Process-wide cache of short-lived upstream tokens, keyed by connection and credential fingerprint. */
export interface TokenCache {
  /** Returns a cached token valid for at least `minValidityMs` more, or fetches one (one fetch per key at a time). */
  get(
    key: TokenKey,
    fetch: () => Promise<{ token: string; expiresAt: number }>,
    minValidityMs?: number,
  ): Promise<string>;
  invalidate(key: TokenKey): void;
  /** Forgets every token of a connection: its credentials were replaced or it was deleted. */
  dropConnection(tenantId: string, connectionId: string): void;
}

/** Cross-worker mutual exclusion (DynamoDB conditional writes on AWS), e.g. for one OAuth refresh at a time. */
export interface LockService {
  withLock<T>(key: string, opts: { ttlMs: number; waitMs: number }, fn: () => Promise<T>): Promise<T>;
}

/** Everything an adapter call needs, supplied by the worker or the API. */
export interface AdapterContext<C> {
  jobId: string;
  connection: ConnectionHandle<C>;
  http: HttpClient;
  /** Resolved base URL for a named endpoint of this adapter (see `ErpAdapter.endpoints`). */
  endpoint(name: string): string;
  tokens: TokenCache;
  locks: LockService;
  /**
   * Blocks an ERP imposed on a scope (Sage's hour), shared by every worker and cold start; absent where no shared
   * state is wired (the adapter then remembers them in its own process only).
   */
  blocks?: UpstreamBlocks;
  /** The operator's OAuth apps (QuickBooks, NetSuite): for connections stored with `app: "operator"`. */
  apps?: OAuthApps;
  now(): number;
}

/** Context for building a request without calling anyone (dry run): no http, no tokens. */
export type RequestContext<C> = Pick<AdapterContext<C>, 'jobId' | 'endpoint'> & {
  connection: Pick<ConnectionHandle<C>, 'environment' | 'credentials' | 'tenantId' | 'connectionId'>;
};

/** Where a base URL comes from: an env override, else the real host for the environment. */
export interface EndpointSpec {
  env: string;
  production: string;
  sandbox: string;
}

export interface RateLimit {
  /** Requests allowed per `perSeconds`, per `scope` (production). */
  requests: number;
  perSeconds: number;
  /** Limit for sandbox/test companies when it differs. */
  sandboxRequests?: number;
  /** Concurrent requests allowed per scope. */
  concurrency?: number;
  scope: 'company' | 'user' | 'realm' | 'account' | 'instance' | 'connection';
  note?: string;
}

export interface ErpCapabilities {
  /** How a retry is kept from creating twice. */
  upstreamIdempotency: 'request_id' | 'upsert' | 'external_key' | 'lookup';
  /** Which unified fields the look-up uses, e.g. ['identification.number', 'branchOffice']. */
  lookupBy: string[];
  environments: Environment[];
  /** Whether Konvex-style inline `username` + `apikey` headers work. */
  inlineCredentials: boolean;
  rateLimit: RateLimit;
}

/**
 * A per-deployment value (the same for every tenant, not a secret) that the adapter reads from its environment,
 * e.g. Siigo's `Partner-Id`. Operators set it per stage in cdk.json (`stages.<stage>.erps.<erp>.settings`).
 */
export interface DeploymentSetting {
  /** The environment variable the adapter reads. */
  env: string;
  description: string;
  /** A durable (non-ephemeral) stage may not deploy without it: the default would be refused by the ERP. */
  requiredOnDurableStages: boolean;
  /** Why `value` is malformed, or undefined when it is fine. */
  check(value: string): string | undefined;
}

/**
 * Declarative summary of `requirements()` for schema discovery (GET /v1/erps/{erp}/customer-schema), keyed by
 * JSON pointer into the unified body. `requirements()` stays the enforcer; tests check the two agree.
 */
export interface SchemaHints {
  /** Pointers the ERP needs (parents are implied: /billingAddress/cityCode makes /billingAddress required). */
  required?: string[];
  /** Longest string the ERP keeps, per pointer. */
  maxLength?: Record<string, number>;
  /** Unified value → the ERP's native code, per pointer (e.g. Siigo's id_type codes). */
  codes?: Record<string, Record<string, string>>;
  /** Rules that are not one of the above, in words. */
  notes?: Record<string, string>;
  /** The native fields `erpFields` may set (listed under `erpFields` with their JSON Schema). */
  erpFields?: NativeCatalog;
}

/** Worker settings derived from the ERP's limits; the CDK stack reads them too. */
export interface WorkerSettings {
  maxAttempts: number;
  /** Upstream call timeout. */
  timeoutMs: number;
  /** Backoff base and cap for retries. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Lambda event-source maxConcurrency for this ERP's queue (2..1000). */
  maxConcurrency: number;
  batchSize: number;
}

/**
 * One ERP behind one interface. A plain object; adding an ERP is adding a folder and a line in the registry.
 * `C` is the parsed credentials type of this ERP.
 */
export interface ErpAdapter<C = unknown> {
  id: ErpId;
  displayName: string;
  /** Credentials as stored in the connection secret (PUT /v1/connections/{id} body `credentials`). */
  credentialsSchema: z.ZodType<C>;
  /** Konvex-style inline headers → credentials; absent when the ERP needs a stored connection. */
  fromInlineCredentials?(username: string, apikey: string): C;
  capabilities: ErpCapabilities;
  /**
   * The worker writes credentials back (a rotating OAuth refresh token). Only these ERPs' workers get
   * `secretsmanager:PutSecretValue` (on their own ERP's secrets), and `saveCredentials` refuses otherwise. A
   * deployment fact, not a public capability (GET /v1/erps does not list it).
   */
  rotatesCredentials?: boolean;
  /** What `requirements()` enforces, as data (folded into the customer JSON Schema). */
  schemaHints?: SchemaHints;
  worker: WorkerSettings;
  endpoints: Record<string, EndpointSpec>;
  /** Per-deployment settings (see DeploymentSetting), keyed by the name operators use in cdk.json. */
  settings?: Record<string, DeploymentSetting>;
  /** The ERP's own requirements beyond the unified schema, checked at accept time (422 with pointers). */
  requirements(customer: UnifiedCustomer): Issue[];
  /**
   * Unified fields present in `customer` that this ERP cannot hold and that are neither mapped nor rejected by
   * `requirements()`: reported in `warnings` of the 202 and dry-run answers, never dropped silently.
   */
  warnings?(customer: UnifiedCustomer): FieldWarning[];
  /**
   * Upstream requests one `create` makes, for pacing (default 1): the pacer reserves this many slots, so an
   * adapter that looks up inside its create is not sent faster than the ERP's limit.
   */
  createRequests?(customer: UnifiedCustomer): number;
  /** The exact request `create` sends, without credentials. `create` must send exactly this. */
  buildCreateRequest(customer: UnifiedCustomer, ctx: RequestContext<C>): NativeRequest;
  create(customer: UnifiedCustomer, ctx: AdapterContext<C>): Promise<CreateOutcome>;
  /**
   * Finds this job's customer; used after `unknown` outcomes, crashes and duplicates. A hit is adopted (`found`)
   * only when the record carries this job's identity, never for a shared name or code alone (`conflict`).
   */
  lookup(customer: UnifiedCustomer, ctx: AdapterContext<C>): Promise<LookupOutcome>;
  /** Proves the credentials with a cheap authenticated call. */
  verify(ctx: AdapterContext<C>): Promise<VerifyOutcome>;
  /** The connection's tenant-specific values (issue 16 §2), read from the ERP's list endpoints. */
  options?: OptionsSpec<C>;
  /**
   * Obtains what this ERP's calls need before the worker takes its pacing turn — an OAuth access token, whose
   * refresh (and the lock around it) can take longer than the gap between two paced requests. Without it the
   * first call of a burst reaches the ERP late, next to the ones paced after it, and a per-second window sees a
   * crowd (QuickBooks: 10/s, 429 Fault 3001). Best effort: a failure is left for the call itself to meet.
   */
  authenticate?(ctx: AdapterContext<C>): Promise<void>;
  /**
   * Runs once when a connection is stored, before the secret is written; returns what to keep
   * (NEXT exchanges its one-time API key for a token here). A failure outcome rejects the connection.
   */
  prepareConnection?(ctx: AdapterContext<C>): Promise<{ kind: 'ok'; credentials: C } | FailureOutcome>;
  /** How an end user connects this ERP on the connect page (a credentials form and/or an OAuth consent). */
  connect?: ConnectMethods<C>;
  /**
   * The ERP company (account, realm, database) the credentials name: a reconnect must name the same one, or it
   * would silently point an existing connection (and its jobs) at another company.
   */
  companyOf?(credentials: C): string;
  /**
   * When the credentials stop working unless the end user consents again (a refresh token's end), if they do:
   * epoch ms, and how long before it the tenant is told (webhook `connection.expiring`).
   */
  credentialsExpiry?(credentials: C): { expiresAt: number; noticeBeforeMs: number } | undefined;
}

/** An OAuth 2.0 client (app) an ERP consent is asked for: the operator's, stored once per stage. */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

/** Port: the operator's own OAuth apps, one per ERP and environment (Secrets Manager on AWS, config locally). */
export interface OAuthApps {
  get(erp: ErpId, environment: Environment): Promise<OAuthApp | undefined>;
}

/** What an OAuth consent (authorization code grant, RFC 6749 §4.1) needs from an adapter. */
export interface OAuthConsent<C> {
  /** Fields asked on the connect page before the redirect (NetSuite's account id); none when absent. */
  startFields?: z.ZodType<Record<string, string | undefined>>;
  /** Sends PKCE (RFC 7636, S256 only). */
  pkce: boolean;
  /** The ERP's authorization URL for one consent. */
  authorizeUrl(p: {
    endpoint(name: string): string;
    app: OAuthApp;
    redirectUri: string;
    state: string;
    codeChallenge?: string;
    start: Record<string, string | undefined>;
  }): string;
  /**
   * The callback's parameters → the credentials to store (then proven by `verify` before anything is stored).
   * Exchanges the code at the token endpoint; a refusal is a failure outcome carrying the ERP's words.
   */
  exchange(p: {
    http: HttpClient;
    endpoint(name: string): string;
    now(): number;
    app: OAuthApp;
    code: string;
    redirectUri: string;
    codeVerifier?: string;
    callback: URLSearchParams;
    start: Record<string, string | undefined>;
  }): Promise<{ kind: 'ok'; credentials: C } | FailureOutcome>;
}

/** The ways the connect page offers to connect one ERP. */
export interface ConnectMethods<C> {
  /** A credentials form rendered from this schema's JSON Schema (fields marked `x-internal` left out). */
  form?: z.ZodType<C>;
  oauth?: OAuthConsent<C>;
}
