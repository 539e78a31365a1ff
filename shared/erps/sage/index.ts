export { sageAdapter } from './adapter';
export { clearSageBlocks } from './block';
export { type SageCredentials, sageCredentialsSchema } from './credentials';
