import type { RecordedEvent } from '@familievedtak/event-store';

/**
 * Idempotency-Key as the IETF httpapi draft describes it: a key is the client's promise that
 * two requests are the same request. The key is scoped per user (another user's key never
 * matches), and the events of the first request carry a fingerprint of its method, route and
 * body (`idempotencyFingerprint` in the metadata). A retry with another fingerprint is a
 * client error (422), never a silent replay of something else.
 */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly key: string) {
    super('This Idempotency-Key was already used for a different request (another route or another body). Use a new key for a new request.');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** The first request with this key (by this user) is still being processed: 409, retry later. */
export class IdempotentRequestInFlightError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_IN_FLIGHT';
  constructor(readonly key: string) {
    super('A request with this Idempotency-Key is still being processed. Retry it once that one has answered.');
    this.name = 'IdempotentRequestInFlightError';
  }
}

/**
 * A replay answers only for the same request: the stored events' fingerprint must be the
 * retry's. Events stored before fingerprints existed (no `idempotencyFingerprint`) are not
 * second-guessed.
 */
export function assertSameFingerprint(stored: RecordedEvent[], key: string, fingerprint: string | null | undefined): void {
  if (!fingerprint) return;
  for (const event of stored) {
    const earlier = event.metadata?.idempotencyFingerprint;
    if (typeof earlier === 'string' && earlier !== fingerprint) throw new IdempotencyKeyReusedError(key);
  }
}
