// npx tsx examples/chargeover.ts — creates a customer in ChargeOver through the demo connection.
import { createCustomer } from './client';

await createCustomer('chargeover', process.env.CONNECTION ?? 'demo-chargeover', {
  personType: 'company',
  name: { company: 'Stark Industries' },
  externalId: `CRM-${Date.now()}`,
  email: 'billing@stark.co',
  billingAddress: { lines: ['Cra. 18 #79A - 42'], city: 'Bogotá', country: 'CO' },
  contacts: [{ firstName: 'Marcos', lastName: 'Castillo', email: 'marcos@stark.co' }],
  erpFields: { custom_1: 'Gold' },
});
