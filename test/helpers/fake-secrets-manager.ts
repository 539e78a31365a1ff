import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  type Tag,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { capture } from './leak-guard';

/**
 * Secrets Manager in memory (no emulator exists on npm), through the SDK's mocking library: enough of the API
 * for SecretsManagerConnectionStore. Everything but secret values is captured for the leak guard — tags
 * (connection status and its reason), names, descriptions — since those are visible to anyone who may list
 * secrets.
 */
export function fakeSecretsManager() {
  const secrets = new Map<string, { value: string; tags: Map<string, string> }>();
  const mock = mockClient(SecretsManagerClient);
  const notFound = () => new ResourceNotFoundException({ message: 'not found', $metadata: {} });
  const find = (id: string | undefined) => {
    const s = secrets.get(id ?? '');
    if (!s) throw notFound();
    return s;
  };
  const setTags = (target: Map<string, string>, tags: Tag[] | undefined) => {
    capture('secret tags', JSON.stringify(tags ?? []));
    for (const t of tags ?? []) target.set(t.Key as string, t.Value as string);
  };
  const tagList = (tags: Map<string, string>) => [...tags].map(([Key, Value]) => ({ Key, Value }));

  mock.on(CreateSecretCommand).callsFake((i) => {
    if (secrets.has(i.Name)) throw new ResourceExistsException({ message: 'exists', $metadata: {} });
    capture('secret metadata', `${i.Name} ${i.Description ?? ''}`);
    const tags = new Map<string, string>();
    setTags(tags, i.Tags);
    secrets.set(i.Name, { value: i.SecretString ?? '', tags });
    return { Name: i.Name };
  });
  mock.on(PutSecretValueCommand).callsFake((i) => {
    find(i.SecretId).value = i.SecretString ?? '';
    return {};
  });
  mock.on(GetSecretValueCommand).callsFake((i) => ({ SecretString: find(i.SecretId).value }));
  mock.on(DescribeSecretCommand).callsFake((i) => ({
    Name: i.SecretId,
    Tags: tagList(find(i.SecretId).tags),
  }));
  mock.on(TagResourceCommand).callsFake((i) => {
    setTags(find(i.SecretId).tags, i.Tags);
    return {};
  });
  mock.on(DeleteSecretCommand).callsFake((i) => {
    find(i.SecretId);
    secrets.delete(i.SecretId as string);
    return {};
  });
  mock.on(ListSecretsCommand).callsFake((i) => {
    const prefix = i.Filters?.[0]?.Values?.[0] ?? '';
    return {
      SecretList: [...secrets]
        .filter(([name]) => name.startsWith(prefix))
        .map(([Name, s]) => ({ Name, Tags: tagList(s.tags) })),
    };
  });

  return {
    client: new SecretsManagerClient({ region: 'us-east-1' }),
    /** The tags of one secret, as DescribeSecret would show them. */
    tags: (name: string) => Object.fromEntries(secrets.get(name)?.tags ?? []),
    has: (name: string) => secrets.has(name),
    restore: () => mock.restore(),
  };
}
