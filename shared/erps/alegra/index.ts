export { alegraAdapter } from './adapter';
export type { AlegraCredentials } from './credentials';
