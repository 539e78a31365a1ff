import { describe, expect, it } from 'vitest';
import { customerSchema } from '../../shared/customer/schema';
import { chargeoverAdapter } from '../../shared/erps/chargeover';

const base = { personType: 'company', name: { company: 'Stark Industries' } } as const;
const issues = (extra: Record<string, unknown>) =>
  chargeoverAdapter.requirements(customerSchema.parse({ ...base, ...extra }));

describe('ChargeOver requirements', () => {
  it('a plain company passes', () => {
    expect(issues({})).toEqual([]);
  });

  it('ChargeOver only holds customers', () => {
    expect(issues({ type: 'supplier' })).toEqual([
      { pointer: '/type', code: 'unsupported', message: expect.any(String) },
    ]);
  });

  it('external_key is controlled by the adapter: the caller is sent to externalId', () => {
    expect(issues({ erpFields: { external_key: 'X' } })).toEqual([
      {
        pointer: '/erpFields/external_key',
        code: 'controlled_field',
        message: expect.stringContaining('externalId'),
      },
    ]);
  });

  it('checks native field types with pointers into erpFields', () => {
    const found = issues({
      erpFields: {
        brand_id: 'two',
        terms_id: 0,
        no_taxes: 'yes',
        invoice_delivery: 'fax',
        tags: [1, 2],
        custom_3: 42,
        custom_21: 'x',
        company: '  ',
      },
    });
    expect(found.map((i) => [i.pointer, i.code])).toEqual([
      ['/erpFields/brand_id', 'invalid_type'],
      ['/erpFields/terms_id', 'invalid_type'],
      ['/erpFields/no_taxes', 'invalid_type'],
      ['/erpFields/invoice_delivery', 'invalid_value'],
      ['/erpFields/tags', 'invalid_type'],
      ['/erpFields/custom_3', 'invalid_type'],
      ['/erpFields/custom_21', 'unknown_field'],
      ['/erpFields/company', 'required'],
    ]);
  });

  it('accepts every documented native field in its documented shape', () => {
    expect(
      issues({
        erpFields: {
          parent_customer_id: 10,
          language_id: '1',
          currency_id: 1,
          class_id: 1,
          admin_id: 1,
          campaign_id: 1,
          campaign_details: 'Fair 2025',
          superuser_username: 'stark',
          bill_addr3: 'x',
          ship_addr3: 'y',
          custom_1: 'a',
          custom_20: 'b',
          brand_id: 1,
          terms_id: 1,
          custtype_id: 1,
          no_taxes: false,
          no_dunning: true,
          no_latefees: 1,
          no_procfees: 0,
          invoice_delivery: 'email',
          dunning_delivery: 'print',
          tax_ident: 'X',
          tags: ['a'],
        },
      }),
    ).toEqual([]);
  });

  it('issue 11 §4: keys ChargeOver does not document are refused, not passed through unchecked', () => {
    expect(
      issues({ erpFields: { some_future_field: { any: 'thing' }, customertypeid: 1, customer_id: 5 } }).map(
        (i) => `${i.pointer} ${i.code}`,
      ),
    ).toEqual([
      '/erpFields/some_future_field unknown_field',
      '/erpFields/customertypeid unknown_field',
      '/erpFields/customer_id read_only',
    ]);
  });
});
