export { netsuiteAdapter } from './adapter';
export { type NetSuiteCredentials, netsuiteCredentialsSchema } from './credentials';
