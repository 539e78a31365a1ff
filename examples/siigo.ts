// npx tsx examples/siigo.ts — creates a company in Siigo through the demo connection (the NIT check digit is computed).
import { createCustomer } from './client';

const nit = String(900_000_000 + Math.floor(Math.random() * 99_999_999));
await createCustomer('siigo', process.env.CONNECTION ?? 'demo-siigo', {
  personType: 'company',
  name: { company: 'Stark Industries' },
  identification: { type: 'NIT', number: nit },
  email: 'billing@stark.co',
  billingAddress: { lines: ['Cra. 18 #79A - 42'], cityCode: '11001', stateCode: '11', country: 'CO' },
  phones: [{ number: '3006003345' }],
  tax: { fiscalResponsibilities: ['R-99-PN'] },
});
