import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

/**
 * Ids are compared in one form: lower case. A UUID is case-insensitive (RFC 9562), but streams,
 * maps and SQL compare strings: an uppercase family id once registered a second family.
 * Path parameters are lowered before any route runs (a hook in hardening.ts); body and query
 * fields validated with @IsUUID() are lowered after validation by CanonicalIdsPipe.
 */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const canonicalId = (value: string): string => (UUID.test(value) ? value.toLowerCase() : value);

/** Lowers every UUID-shaped value of a parameter object in place (path parameters are ids or names, never free text). */
export function canonicalIdsIn(params: unknown): void {
  if (!params || typeof params !== 'object') return;
  const record = params as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) if (typeof value === 'string') record[name] = canonicalId(value);
}

/** Properties of a DTO class validated with @IsUUID (its own and inherited), cached per class. */
/** What class-validator keys a class's metadata by (its constructor). */
type ValidationTarget = Parameters<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[0];
const uuidFields = new Map<ValidationTarget, string[]>();
function uuidFieldsOf(type: ValidationTarget): string[] {
  let fields = uuidFields.get(type);
  if (!fields) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false);
    fields = [...new Set(metadata.filter((m) => m.name === 'isUuid').map((m) => m.propertyName))];
    uuidFields.set(type, fields);
  }
  return fields;
}

/**
 * A global pipe after the ValidationPipe: in the validated DTO (and its nested DTOs), the
 * fields declared as UUIDs are lowered. Free text is never touched: only fields the DTO
 * itself says are UUIDs, so no DTO needs its own transform.
 */
@Injectable()
export class CanonicalIdsPipe implements PipeTransform {
  transform(value: unknown, _metadata: ArgumentMetadata): unknown {
    lowerUuidFields(value, 0);
    return value;
  }
}

function lowerUuidFields(node: unknown, depth: number): void {
  // The body's depth is bounded by the parser; this bound only keeps the walk safe on its own.
  if (node === null || typeof node !== 'object' || depth > 64) return;
  if (Array.isArray(node)) {
    for (const item of node) lowerUuidFields(item, depth + 1);
    return;
  }
  const record = node as Record<string, unknown>;
  const type = Object.getPrototypeOf(node)?.constructor;
  if (typeof type === 'function' && type !== Object) {
    for (const field of uuidFieldsOf(type)) {
      const value = record[field];
      if (typeof value === 'string') record[field] = canonicalId(value);
      else if (Array.isArray(value)) record[field] = value.map((v) => (typeof v === 'string' ? canonicalId(v) : v));
    }
  }
  for (const value of Object.values(record)) lowerUuidFields(value, depth + 1);
}
