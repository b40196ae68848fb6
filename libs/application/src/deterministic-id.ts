import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, name-based) derived from its parts. Event ids derived from a command's
 * idempotency key make a retried command append the same ids, which the store then
 * recognises and does not append again: idempotency lives in the log, not in a side table.
 */
export function deterministicUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
