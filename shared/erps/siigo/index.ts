export { siigoAdapter } from './adapter';
export { type SiigoCredentials, siigoCredentialsSchema } from './credentials';
export { toSiigoCustomer } from './mapper';
export { siigoRequirements } from './requirements';
