// npx tsx examples/quickbooks.ts — creates a customer in QuickBooks Online through the demo connection
// (OAuth 2.0: the adapter refreshes and rotates tokens; requestid = job id makes retries replay).
import { createCustomer } from './client';

await createCustomer('quickbooks', process.env.CONNECTION ?? 'demo-quickbooks', {
  personType: 'company',
  name: { company: `Stark Industries ${Date.now()}` },
  email: 'billing@stark.co',
  phones: [{ countryCode: '1', number: '2125550100' }],
  billingAddress: {
    lines: ['10880 Malibu Point'],
    city: 'Malibu',
    stateCode: 'CA',
    postalCode: '90265',
    country: 'US',
  },
  currency: 'USD',
});
