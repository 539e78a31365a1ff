export { chargeoverAdapter } from './adapter';
export { type ChargeOverCredentials, chargeoverCredentialsSchema } from './credentials';
