// npx tsx examples/next.ts — creates a customer in NEXT (Next Project) through the demo connection.
// customertypeid is per NEXT database: look yours up in NEXT; the simulator accepts 1.
import { createCustomer } from './client';

await createCustomer('next', process.env.CONNECTION ?? 'demo-next', {
  personType: 'company',
  name: { company: 'Nordbygg AS' },
  externalId: `CRM-${Date.now()}`,
  identification: { type: 'ORG_NO', number: '987654325', country: 'NO' },
  email: 'post@nordbygg.no',
  billingAddress: { lines: ['Storgata 1'], city: 'Oslo', postalCode: '0155', country: 'NO' },
  erpFields: { customertypeid: 1 },
});
