export { quickbooksAdapter, requestIdFor } from './adapter';
export { type QuickBooksCredentials, quickbooksCredentialsSchema } from './credentials';
