import type { JsonValue } from '@familievedtak/event-store';

/** One differing leaf; a side that lacks the field has no value (undefined, left out of JSON). */
export interface FieldDifference {
  path: string;
  live?: JsonValue;
  rebuilt?: JsonValue;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const child = (path: string, key: string) => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deep difference of two JSON values as JSONPath-like leaves ($.state.members[0].name,
 * $.state.decisions["d-1"].status). Objects are compared key by key, arrays index by index,
 * so one changed field is reported as that field rather than as the whole row.
 */
export function diffJson(live: JsonValue | undefined, rebuilt: JsonValue | undefined, path = '$'): FieldDifference[] {
  if (isObject(live) && isObject(rebuilt)) {
    const keys = [...new Set([...Object.keys(live), ...Object.keys(rebuilt)])].sort();
    return keys.flatMap((key) => diffJson(live[key], rebuilt[key], child(path, key)));
  }
  if (Array.isArray(live) && Array.isArray(rebuilt)) {
    const length = Math.max(live.length, rebuilt.length);
    return Array.from({ length }, (_, i) => diffJson(live[i], rebuilt[i], `${path}[${i}]`)).flat();
  }
  if (live === rebuilt) return [];
  return [{ path, live, rebuilt }];
}
