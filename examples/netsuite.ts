// npx tsx examples/netsuite.ts — creates a person in NetSuite through the demo connection
// (OAuth 1.0a TBA, HMAC-SHA256; an upsert on the external id makes retries safe).
import { createCustomer } from './client';

await createCustomer('netsuite', process.env.CONNECTION ?? 'demo-netsuite', {
  personType: 'person',
  name: { first: 'Marcos', last: 'Castillo' },
  externalId: `CRM-${Date.now()}`,
  email: 'marcos@example.com',
  billingAddress: { lines: ['Cra. 18 #79A - 42'], city: 'Bogotá', country: 'CO' },
});
