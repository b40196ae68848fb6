import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { IdempotencyKeyReusedError, IdempotentRequestInFlightError } from '@familievedtak/application';
import type { FastifyRequest } from 'fastify';
import { finalize, Observable, tap } from 'rxjs';
import { idempotencyOf } from './request-info';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Keys (per user) this instance answered last, with their fingerprints. */
const REMEMBERED_KEYS = 10_000;

/**
 * Idempotency-Key at the HTTP layer, for every write route with the header (so routes added
 * later are covered without doing anything):
 * - a request whose key (of the same user) is still being processed here answers 409
 *   IDEMPOTENCY_KEY_IN_FLIGHT: two copies must not race each other into the handler;
 * - a key this instance answered for another request (another route, another stream, another
 *   body) answers 422 IDEMPOTENCY_KEY_REUSED. This memory is a shortcut for keys reused across
 *   streams; the authority is the log: the command handler compares the fingerprint stored
 *   with the events on every replay, on every instance, after any restart.
 * It runs after the auth guard, so the key is already scoped to the verified user.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Set<string>();
  private readonly answered = new Map<string, string>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: unknown }>();
    // No verified user (a public route): no scope to hold a key in; such routes store nothing.
    if (!WRITES.has(request.method) || !request.actor) return next.handle();
    const idempotency = idempotencyOf(request);
    if (!idempotency) return next.handle();
    const { key, fingerprint, clientKey } = idempotency;
    const earlier = this.answered.get(key);
    if (earlier !== undefined && earlier !== fingerprint) throw new IdempotencyKeyReusedError(clientKey);
    if (this.inFlight.has(key)) throw new IdempotentRequestInFlightError(clientKey);
    this.inFlight.add(key);
    return next.handle().pipe(
      tap(() => this.remember(key, fingerprint)),
      finalize(() => this.inFlight.delete(key)),
    );
  }

  /** Most recent last; the oldest leave first once full. */
  private remember(key: string, fingerprint: string): void {
    this.answered.delete(key);
    this.answered.set(key, fingerprint);
    if (this.answered.size > REMEMBERED_KEYS) this.answered.delete(this.answered.keys().next().value as string);
  }
}
