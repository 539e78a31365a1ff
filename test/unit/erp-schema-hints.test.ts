import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { ApiDeps } from '../../shared/api/deps';
import { customerSchemaFor, listErps } from '../../shared/api/erps';
import { customerSchema } from '../../shared/customer/schema';
import { getAdapter, listAdapters } from '../../shared/erps/registry';
import type { ErpId } from '../../shared/erps/types';
import { issuesFromZod } from '../../shared/errors';
import { setAt } from '../helpers/field-coverage';
import { sampleValue } from '../helpers/native-samples';

/** One body each ERP accepts (the README's one-call examples). */
const VALID: Record<ErpId, Record<string, unknown>> = {
  siigo: {
    personType: 'company',
    name: { company: 'Stark Industries' },
    identification: { type: 'NIT', number: '900373913' },
    email: 'billing@stark.co',
    billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
  },
  alegra: {
    personType: 'person',
    name: { first: 'Marcos', last: 'Castillo' },
    identification: { type: 'CC', number: '13832081' },
    email: 'marcos@example.co',
  },
  quickbooks: { personType: 'company', name: { company: 'Stark Industries US' }, email: 'billing@stark.co' },
  netsuite: {
    personType: 'company',
    name: { company: 'Wayne Enterprises' },
    externalId: 'CRM-9001',
    website: 'https://wayne.example',
    billingAddress: { lines: ['1 Main'], city: 'Gotham', postalCode: '10001', country: 'US' },
  },
  chargeover: { personType: 'company', name: { company: 'Stark Industries' }, externalId: 'CRM-000123' },
  next: {
    personType: 'company',
    name: { company: 'Nordbygg AS' },
    externalId: 'CRM-000125',
    erpFields: { customertypeid: 1 },
  },
  sage: { personType: 'company', name: { company: 'Karoo Supplies (Pty) Ltd' }, externalId: 'CRM-000126' },
};

const clone = <T>(v: T): T => structuredClone(v);
/** What the API does: the unified schema, then the ERP's requirements. */
function problems(erp: ErpId, body: unknown) {
  const r = customerSchema.safeParse(body);
  if (!r.success) return issuesFromZod(r.error);
  return getAdapter(erp)?.requirements(r.data) ?? [];
}
const deps = { adapters: { get: getAdapter, list: listAdapters } } as unknown as ApiDeps;
const related = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);

describe.each(listAdapters().map((a) => [a.id, a] as const))('%s schema hints', (erp, adapter) => {
  const hints = adapter.schemaHints ?? {};
  const schema = JSON.parse(customerSchemaFor(erp, deps).body).schema;

  it('the sample body is accepted', () => {
    expect(problems(erp, VALID[erp])).toEqual([]);
  });

  it.each(hints.required ?? [])(
    'hinted required %s: folded into the schema, and requirements() rejects its absence',
    (p) => {
      let node = schema;
      for (const key of p.split('/').slice(1)) {
        expect(node.required ?? [], p).toContain(key);
        node = node.properties[key];
      }
      const body = clone(VALID[erp]);
      setAt(body, p, undefined);
      expect(problems(erp, body).some((i) => related(i.pointer, p))).toBe(true);
    },
  );

  it.each(Object.entries(hints.maxLength ?? {}))(
    'hinted maxLength %s ≤ %i: folded, and one more is rejected',
    (p, max) => {
      let node = schema;
      for (const key of p.split('/').slice(1)) node = node.properties[key];
      expect(node.maxLength).toBeLessThanOrEqual(max);
      const body = clone(VALID[erp]);
      // A value of the field's own kind, exactly `n` characters long.
      const sized = (n: number) =>
        p === '/website'
          ? `https://x.example/${'a'.repeat(n - 18)}`
          : p === '/email'
            ? `${'a'.repeat(n - 9)}@stark.co`
            : 'A'.repeat(n);
      setAt(body, p, sized(max + 1));
      expect(problems(erp, body).some((i) => i.pointer === p)).toBe(true);
      setAt(body, p, sized(Math.min(max, 30)));
      expect(problems(erp, body).filter((i) => i.pointer === p)).toEqual([]);
    },
  );
});

describe.each(listAdapters().map((a) => [a.id, a] as const))(
  '%s erpFields in schema discovery',
  (erp, adapter) => {
    const catalog = adapter.schemaHints?.erpFields;
    const schema = JSON.parse(customerSchemaFor(erp, deps).body).schema;
    const listed = schema.properties.erpFields;

    it('lists every native field it accepts, refuses the rest (additionalProperties false), controlled keys as false', () => {
      expect(catalog).toBeDefined();
      expect(listed.type).toBe('object');
      expect(listed.additionalProperties).toBe(false);
      const writable = Object.entries(catalog?.fields ?? {})
        .filter(([k, f]) => !f.readOnly && !Object.hasOwn(catalog?.controlled ?? {}, k))
        .map(([k]) => k);
      expect(Object.keys(listed.properties)).toEqual(expect.arrayContaining(writable));
      for (const key of Object.keys(catalog?.controlled ?? {})) expect(listed.properties[key]).toBe(false);
      expect(listed['x-erp-controlled']).toEqual(catalog?.controlled);
    });

    it('what discovery lists, requirements accept; what it does not list, requirements refuse', () => {
      for (const [key, field] of Object.entries(catalog?.fields ?? {})) {
        if (field.readOnly || Object.hasOwn(catalog?.controlled ?? {}, key)) continue;
        const body = clone(VALID[erp]);
        body.erpFields = { ...(body.erpFields as object), [key]: sampleValue(field, key) };
        expect(
          problems(erp, body).filter((i) => i.pointer.startsWith(`/erpFields/${key}`)),
          `${erp} erpFields.${key}`,
        ).toEqual([]);
      }
      const body = clone(VALID[erp]);
      body.erpFields = { ...(body.erpFields as object), notAField: 1 };
      expect(problems(erp, body)).toContainEqual(
        expect.objectContaining({ pointer: '/erpFields/notAField', code: 'unknown_field' }),
      );
    });
  },
);

describe('folded schemas say what each ERP needs', () => {
  it('Siigo: identification and the DANE city code are required (the department follows from it); id_type codes are listed', () => {
    const s = JSON.parse(customerSchemaFor('siigo', deps).body).schema;
    expect(s.required).toEqual(
      expect.arrayContaining(['personType', 'name', 'identification', 'billingAddress']),
    );
    expect(s.properties.billingAddress.required).toEqual(expect.arrayContaining(['cityCode', 'country']));
    expect(s.properties.identification.properties.type['x-erp-codes']).toMatchObject({ NIT: '31', CC: '13' });
  });

  it('NetSuite: custom field ids are listed as patternProperties', () => {
    const s = JSON.parse(customerSchemaFor('netsuite', deps).body).schema;
    expect(Object.keys(s.properties.erpFields.patternProperties)).toEqual([
      '^custentity[a-z0-9_]*$',
      '^custrecord[a-z0-9_]*$',
    ]);
    expect(s.properties.erpFields.properties.subsidiary.anyOf).toHaveLength(2);
  });

  it('NEXT: erpFields.customertypeid is required; the unified schema itself is not changed', () => {
    const s = JSON.parse(customerSchemaFor('next', deps).body).schema;
    expect(s.properties.erpFields.required).toEqual(['customertypeid']);
    const plain = JSON.parse(customerSchemaFor('quickbooks', deps).body).schema;
    expect(plain.properties.erpFields.required).toBeUndefined();
    const unified = z.toJSONSchema(customerSchema, { io: 'input', unrepresentable: 'any' }) as {
      properties: Record<string, { additionalProperties?: unknown }>;
    };
    expect(unified.properties.erpFields?.additionalProperties).not.toBe(false);
  });

  it('GET /v1/erps lists idempotency, look-up, environments, rate limits and inline credentials for all 7', () => {
    const items = JSON.parse(listErps(deps).body).items;
    expect(items).toHaveLength(7);
    for (const i of items) {
      expect(i.capabilities).toMatchObject({
        upstreamIdempotency: expect.any(String),
        lookupBy: expect.any(Array),
        environments: expect.any(Array),
        inlineCredentials: expect.any(Boolean),
        rateLimit: { requests: expect.any(Number), perSeconds: expect.any(Number) },
      });
    }
    expect(
      items
        .filter((i: { capabilities: { inlineCredentials: boolean } }) => i.capabilities.inlineCredentials)
        .map((i: { erp: string }) => i.erp)
        .sort(),
    ).toEqual(['alegra', 'siigo']);
  });
});
