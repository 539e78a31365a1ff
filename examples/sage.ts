// npx tsx examples/sage.ts — creates a customer in Sage Business Cloud Accounting (SA) through the demo connection.
import { createCustomer } from './client';

await createCustomer('sage', process.env.CONNECTION ?? 'demo-sage', {
  personType: 'company',
  name: { company: 'Karoo Supplies (Pty) Ltd' },
  externalId: `CRM-${Date.now()}`,
  identification: { type: 'VAT', number: '4987654321' },
  email: 'accounts@karoo.co.za',
  billingAddress: { lines: ['1 Main Road'], city: 'Graaff-Reinet', postalCode: '6280', country: 'ZA' },
});
