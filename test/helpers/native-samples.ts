import type { NativeField } from '../../shared/erps/native-fields';

/** A value that fits `field` (the first option of a union, the first enum value, one array item), for tests. */
export function sampleValue(field: NativeField, key: string): unknown {
  switch (field.type) {
    case 'string': {
      const base = field.pattern?.test('7') ? '7' : `v-${key}`;
      return field.maxLength !== undefined ? base.slice(0, field.maxLength) : base;
    }
    case 'integer':
      return field.minimum ?? 7;
    case 'number':
      return 7.5;
    case 'boolean':
      return true;
    case 'date':
      return '2024-03-29';
    case 'enum':
      return field.values[0];
    case 'object':
      return Object.fromEntries(
        (field.required ?? []).map((k) => [k, sampleValue(field.properties?.[k] as NativeField, k)]),
      );
    case 'array':
      return [sampleValue(field.items, key)];
    case 'anyOf':
      return sampleValue(field.options[0] as NativeField, key);
    case 'any':
      return `v-${key}`;
  }
}
