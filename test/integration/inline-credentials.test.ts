import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRefusedInlineStore } from '../../shared/connections/dynamo-refused-inline';
import { stark, startPipeline } from '../helpers/pipeline';

/**
 * Issue 12 §4, inline (Konvex) credentials: the environment is part of the inline connection, and credentials
 * the ERP refused leave no secret behind and are answered 409 without another upstream call.
 */

let p: Awaited<ReturnType<typeof startPipeline>>;
const A = 'tenant-inline';
const inline = (apikey: string, extra: Record<string, string> = {}) => ({
  'x-erp': 'siigo',
  username: 'api-user@empresa.co',
  apikey,
  ...extra,
});
const otherUser = (apikey: string) => ({ ...inline(apikey), username: 'another-user@empresa.co' });

beforeAll(async () => {
  p = await startPipeline();
});
afterAll(() => p.close());

const post = (headers: Record<string, string>, body: unknown = stark) =>
  p.api('POST', '/v1/customers', { tenantId: A, headers, body });

describe('inline credentials', () => {
  it('the same username and key for sandbox and production are two connections; neither re-pins the other', async () => {
    const sandbox = await post(inline('key-inline-good-1'));
    const production = await post(inline('key-inline-good-1', { 'x-testing': 'false' }));
    expect(sandbox.status).toBe(202);
    expect(production.status).toBe(202);
    expect(sandbox.json.environment).toBe('sandbox');
    expect(production.json.environment).toBe('production');
    expect(production.json.connectionId).not.toBe(sandbox.json.connectionId);
    expect(sandbox.json.connectionId).toMatch(/^inline-siigo-sandbox-[0-9a-f]{16}$/);
    expect(production.json.connectionId).toMatch(/^inline-siigo-production-[0-9a-f]{16}$/);
    const again = await post(inline('key-inline-good-1'));
    expect(again.json).toMatchObject({ connectionId: sandbox.json.connectionId, environment: 'sandbox' });
    const meta = await p.api('GET', `/v1/connections/${sandbox.json.connectionId}`, { tenantId: A });
    expect(meta.json.environment).toBe('sandbox');
    for (const r of [sandbox, production, again]) await p.runUntilFinal(A, r.json.jobId);
  });

  it('refused inline credentials: the secret is deleted, a marker stays, and the same credentials get 409 without an upstream call', async () => {
    const first = await post(otherUser('key-inline-wrong'));
    const second = await post(otherUser('key-inline-wrong'), { ...stark, name: { company: 'Second Co' } });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const id = first.json.connectionId as string;
    // Both may be attempted at once (one batch): each meets the refusal, upstream or from the marker.
    const refusal = {
      kind: 'auth' as const,
      reauthorize: true,
      upstream: { erp: 'siigo', status: 401, message: 'The username or access_key is not valid' },
    };
    p.erp.createScript.push(refusal, refusal);
    for (const job of [first, second]) {
      expect(await p.runUntilFinal(A, job.json.jobId)).toMatchObject({
        status: 'failed',
        error: { code: 'auth_failed' },
      });
    }
    p.erp.createScript.length = 0;
    const creates = p.erp.creates.length;

    // No secret left; only a fingerprint.
    expect(await p.connections.get(A, id)).toBeUndefined();
    const marker = await new DynamoRefusedInlineStore(
      (p.jobs as unknown as { db: never }).db,
      (p.jobs as unknown as { table: string }).table,
    ).get(A, id);
    expect(marker?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(marker)).not.toContain('key-inline-wrong');

    // The same credentials again: 409 at once, nothing queued, nothing called, no secret stored.
    const refused = await post(otherUser('key-inline-wrong'));
    expect(refused.status, JSON.stringify(refused.json)).toBe(409);
    expect(refused.json.error).toMatchObject({
      code: 'connection_needs_reauth',
      details: [{ pointer: '/headers/apikey' }],
    });
    const dry = await p.api('POST', '/v1/customers?dry_run=true', {
      tenantId: A,
      headers: otherUser('key-inline-wrong'),
      body: stark,
    });
    expect(dry.status).toBe(409);
    expect(
      (
        await p.api('POST', '/v1/customers', {
          tenantId: A,
          headers: { 'x-erp': 'siigo', 'x-connection': id },
          body: stark,
        })
      ).status,
    ).toBe(409);
    expect(await p.pump()).toBe(0);
    expect(p.erp.creates.length).toBe(creates);
    expect(await p.connections.get(A, id)).toBeUndefined();

    // New credentials for the same user are a connection of their own and work; the refused set stays refused.
    const fixed = await post(otherUser('key-inline-fixed'));
    expect(fixed.status).toBe(202);
    expect(fixed.json.connectionId).not.toBe(id);
    expect((await p.runUntilFinal(A, fixed.json.jobId))?.status).toBe('succeeded');
    expect((await post(otherUser('key-inline-wrong'))).status).toBe(409);
  });

  it('a mistyped key gets a connection of its own: its refusal leaves the good key and its queued jobs alone', async () => {
    const user = (apikey: string) => ({ ...inline(apikey), username: 'third-user@empresa.co' });
    const ok = await post(user('key-inline-good'));
    expect((await p.runUntilFinal(A, ok.json.jobId))?.status).toBe('succeeded');
    const queued = await post(user('key-inline-good'), { ...stark, name: { company: 'Queued Co' } });
    const typo = await post(user('bad'));
    expect(typo.json.connectionId).not.toBe(ok.json.connectionId);
    expect(queued.json.connectionId).toBe(ok.json.connectionId);
    expect(await p.runUntilFinal(A, typo.json.jobId)).toMatchObject({
      status: 'failed',
      error: { code: 'auth_failed' },
    });
    // The good key was never overwritten: it is stored, and the job queued with it runs.
    expect((await p.connections.get(A, ok.json.connectionId))?.credentials).toMatchObject({
      accessKey: 'key-inline-good',
    });
    expect((await p.runUntilFinal(A, queued.json.jobId))?.status).toBe('succeeded');
    expect((await post(user('bad'))).status).toBe(409);
    expect((await post(user('key-inline-good'))).status).toBe(202);
  });
});
