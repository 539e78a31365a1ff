export { nextAdapter } from './adapter';
export { type NextCredentials, nextCredentialsSchema } from './credentials';
