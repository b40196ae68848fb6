import { createHash } from 'node:crypto';
import { JsonValue } from './event-store.port';

/**
 * Tamper evidence. Each event's hash covers a canonical encoding of its content and the hash
 * of the previous event in its stream, so editing, deleting or reordering any stored event
 * breaks every later link of that stream.
 *
 *   contentDigest = sha256(canonicalJson({ id, type, data, metadata, recordedAt }))
 *   hash          = sha256(previousHash + "\n" + streamId + "\n" + revision + "\n" + contentDigest)
 *
 * The first event of a stream chains to GENESIS_HASH. The PostgreSQL adapter computes the
 * outer hash inside its append function (it alone knows the revision under the stream lock);
 * the formula is the same, so a verifier in Node can recompute either side.
 */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Deterministic JSON: object keys sorted by code unit, no whitespace, numbers and strings as
 * JSON.stringify writes them. Survives a round trip through PostgreSQL jsonb (which reorders
 * keys and normalises numbers) because it is computed from parsed values, not from text.
 */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError('Non-finite numbers cannot be stored in an event');
  }
  return JSON.stringify(value);
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export interface HashableContent {
  id: string;
  type: string;
  data: JsonValue;
  metadata: JsonValue;
  recordedAt: Date;
}

export function contentDigest(event: HashableContent): string {
  return sha256Hex(
    canonicalJson({
      id: event.id,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      recordedAt: event.recordedAt.toISOString(),
    }),
  );
}

export function chainHash(previousHash: string, streamId: string, revision: number, digest: string): string {
  return sha256Hex(`${previousHash}\n${streamId}\n${revision}\n${digest}`);
}
