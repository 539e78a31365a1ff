import { type Issue, toPointer } from '../errors';

/**
 * `erpFields` keys an adapter must set itself — its look-up or upsert key, or an id that would turn a create
 * into an update — are refused at accept time, one issue per key, with the adapter's reason.
 */
export function controlledFieldIssues(
  erpFields: Record<string, unknown> | undefined,
  controlled: Readonly<Record<string, string>>,
): Issue[] {
  return Object.keys(erpFields ?? {})
    .filter((key) => Object.hasOwn(controlled, key))
    .map((key) => ({
      pointer: toPointer(['erpFields', key]),
      code: 'controlled_field',
      message: controlled[key] as string,
    }));
}
