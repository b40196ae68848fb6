import { InvalidInput, UnknownUnit } from './domain-error';
import { isUnit, type Unit } from './units';

/**
 * Commands reach the domain from API clients; their TypeScript types promise nothing at
 * run time. These guards turn bad values into INVALID_INPUT naming the field.
 */

/** A name every plain object already answers to (constructor, toString, __proto__, ...). */
export function isReservedName(value: string): boolean {
  return value in Object.prototype;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
export const MAX_ID_LENGTH = 100;

/** An internal id: a UUID or another opaque token, safe inside a stream name. */
export function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidInput(field, 'is required');
  if (value.length > MAX_ID_LENGTH || !ID_PATTERN.test(value)) {
    throw new InvalidInput(field, `must be an id of letters, digits, '-', '_', '.' or ':' (at most ${MAX_ID_LENGTH})`);
  }
  // Ids key plain objects in the state (spends, runs): 'constructor' or 'toString' would find
  // Object.prototype's member instead of nothing.
  if (isReservedName(value)) throw new InvalidInput(field, `may not be '${value}' (a reserved name)`);
  return value;
}

/** The caller's id if given, else a fresh one from the context (replay stays deterministic). */
export function idOrNew(value: unknown, field: string, newId: () => string): string {
  return value === undefined || value === null ? requireId(newId(), field) : requireId(value, field);
}

/** Non-blank text up to `max` characters, kept exactly as written (needs are quoted). */
export function requireText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new InvalidInput(field, 'must not be empty');
  if (value.length > max) throw new InvalidInput(field, `is too long (at most ${max} characters)`);
  return value;
}

export function optionalText(value: unknown, field: string, max: number): string | null {
  return value === undefined || value === null ? null : requireText(value, field, max);
}

export function requireOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidInput(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidInput(field, 'must be true or false');
  return value;
}

export function optionalBoolean(value: unknown, field: string, fallback: boolean): boolean {
  return value === undefined || value === null ? fallback : requireBoolean(value, field);
}

/** A list with at least `min` entries and no duplicates. */
export function requireList<T>(value: unknown, field: string, min: number, item: (v: unknown, f: string) => T): T[] {
  if (!Array.isArray(value)) throw new InvalidInput(field, 'must be a list');
  if (value.length < min) throw new InvalidInput(field, `must name at least ${min}`);
  const items = value.map((v, i) => item(v, `${field}[${i}]`));
  if (new Set(items.map((i) => JSON.stringify(i))).size !== items.length) {
    throw new InvalidInput(field, 'names the same entry twice');
  }
  return items;
}

export function requireUnit(value: unknown): Unit {
  if (!isUnit(value)) throw new UnknownUnit(value);
  return value;
}
