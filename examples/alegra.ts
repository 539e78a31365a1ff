// npx tsx examples/alegra.ts — creates a person in Alegra through the demo connection.
import { createCustomer } from './client';

await createCustomer('alegra', process.env.CONNECTION ?? 'demo-alegra', {
  personType: 'person',
  name: { first: 'Marcos', last: 'Castillo' },
  identification: { type: 'CC', number: String(10_000_000 + Math.floor(Math.random() * 89_999_999)) },
  email: 'marcos.castillo@example.co',
  phones: [{ countryCode: '57', number: '3006003345' }],
  billingAddress: { lines: ['Calle 10 # 5-51'], city: 'Medellín', state: 'Antioquia', country: 'CO' },
});
