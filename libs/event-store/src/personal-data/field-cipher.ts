import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { JsonObject, JsonValue } from '../event-store.port';

/**
 * AES-256-GCM from node:crypto (OpenSSL: no native dependency of ours, authenticated, standard)
 * for both layers of the envelope (docs/operations/personal-data-encryption.md):
 * - a field is encrypted under its record's data key (DEK), with additional data binding it to
 *   its place: `streamId|eventId|path|keyRef`, plus `|keyStreamId` when the key row is another
 *   stream's (a budget stream's spend under the family's payment key); a ciphertext moved to
 *   another event, path, stream or key does not decrypt;
 * - a DEK (32 random bytes) is stored wrapped by a key-encryption key (KEK) from the environment,
 *   with additional data `kekId|streamId|keyRef`.
 * Sealed bytes are iv (12) | ciphertext | tag (16); a random 96-bit iv per encryption.
 */

export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** A key-encryption key: the first of the configured list wraps new data keys, all of them unwrap. */
export type Kek = { id: string; key: Buffer };

/**
 * An encrypted field as stored in the event's data, in place of the value. `s`: the stream whose
 * key row holds the key, when not the event's own stream (absent otherwise, as before it existed).
 */
export type SealedField = { $pd: { k: string; c: string; s?: string } };

function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Throws when the bytes, the key or the additional data differ from what was sealed. */
function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/** The additional data of a field: where it belongs (the event id as PostgreSQL prints a uuid). */
export function fieldAad(streamId: string, eventId: string, path: string, keyRef: string, keyStreamId?: string): string {
  const base = `${streamId}|${eventId.toLowerCase()}|${path}|${keyRef}`;
  return keyStreamId === undefined ? base : `${base}|${keyStreamId}`;
}

/** JSON.stringify(value) under the DEK: any JSON value, so null, text and structures alike. `keyStreamId`: the key row's stream, if not the event's. */
export function encryptField(dek: Buffer, keyRef: string, value: JsonValue, aad: string, keyStreamId?: string): SealedField {
  const c = seal(dek, Buffer.from(JSON.stringify(value), 'utf8'), aad).toString('base64');
  return { $pd: keyStreamId === undefined ? { k: keyRef, c } : { k: keyRef, s: keyStreamId, c } };
}

export function decryptField(dek: Buffer, sealed: string, aad: string): JsonValue {
  return JSON.parse(open(dek, Buffer.from(sealed, 'base64'), aad).toString('utf8')) as JsonValue;
}

/** `{"$pd": {"k": "<key ref>", "c": "<base64>"}}` (with `"s": "<key stream>"` where the key is another stream's) and nothing else. */
export function isSealedField(value: JsonValue | undefined): value is SealedField {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$pd') return false;
  const inner = (value as JsonObject).$pd;
  return (
    inner !== null &&
    typeof inner === 'object' &&
    !Array.isArray(inner) &&
    typeof inner.k === 'string' &&
    typeof inner.c === 'string' &&
    (inner.s === undefined || typeof inner.s === 'string')
  );
}

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

const wrapAad = (kekId: string, streamId: string, keyRef: string) => `${kekId}|${streamId}|${keyRef}`;

export function wrapDataKey(kek: Kek, dek: Buffer, streamId: string, keyRef: string): Buffer {
  return seal(kek.key, dek, wrapAad(kek.id, streamId, keyRef));
}

/** Throws when the wrapped key was not wrapped by this KEK for this stream and key ref. */
export function unwrapDataKey(kek: Kek, wrapped: Buffer, streamId: string, keyRef: string): Buffer {
  const dek = open(kek.key, wrapped, wrapAad(kek.id, streamId, keyRef));
  if (dek.length !== DATA_KEY_BYTES) throw new Error(`unwrapped key has ${dek.length} bytes, not ${DATA_KEY_BYTES}`);
  return dek;
}

/** Refuses a KEK list the store cannot work with (the configuration checks the format; this guards direct use). */
export function checkKeks(keks: readonly Kek[]): void {
  if (keks.length === 0) throw new Error('At least one key-encryption key (PERSONAL_DATA_KEKS) is needed');
  const ids = new Set<string>();
  for (const kek of keks) {
    if (kek.key.length !== DATA_KEY_BYTES) throw new Error(`Key-encryption key ${kek.id} has ${kek.key.length} bytes, not ${DATA_KEY_BYTES}`);
    if (ids.has(kek.id)) throw new Error(`Key-encryption key id ${kek.id} appears twice`);
    ids.add(kek.id);
  }
}
