import type { JsonObject, JsonValue } from '../event-store.port';

export type JsonPath = ReadonlyArray<string | number>;

export function valueAt(value: JsonValue | undefined, path: JsonPath): JsonValue | undefined {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? (typeof segment === 'number' ? current[segment] : undefined) : (current as JsonObject)[segment];
  }
  return current;
}

/** A copy of `root` with `value` at `path`; only the containers on the path are copied (the caller's data is never changed). */
export function withValueAt<T extends JsonValue>(root: T, path: JsonPath, value: JsonValue): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = withValueAt(root[head as number], rest, value);
    return copy as T;
  }
  const object = root as JsonObject;
  return { ...object, [head]: withValueAt(object[head as string], rest, value) } as T;
}

/** Dot-joined, as the additional data and the erasure notes name a field: 'members.0.name'. */
export const pathText = (path: JsonPath): string => path.join('.');
