import { randomUUID } from 'node:crypto';
import { CommandEnvelope } from '@familievedtak/application';
import { Actor, actorRef } from '@familievedtak/domain';

export interface RequestInfo {
  actor: Actor;
  /** Scoped to the user (see requestHeaders): every id derived from it is that user's alone. */
  idempotencyKey?: string;
  /** Method, route and body of the request that sent the key: a retry must match it (else 422). */
  idempotencyFingerprint?: string;
  correlationId?: string;
  causationId?: string;
  expectedRevision?: number;
}

export interface CommandOutcome {
  streamId: string;
  revision: number;
  replayed: boolean;
  events: Array<{ id: string; type: string; revision: number; globalPosition: string }>;
}

/** Who and why for one command, from the request (and the rule set in force). */
export function envelopeFor(commandType: string, request: RequestInfo, ruleSetId: string): CommandEnvelope {
  const commandId = randomUUID();
  return {
    commandId,
    commandType,
    correlationId: request.correlationId ?? commandId,
    causationId: request.causationId ?? commandId,
    actor: actorRef(request.actor),
    ruleSetId,
    idempotencyKey: request.idempotencyKey ?? null,
    idempotencyFingerprint: request.idempotencyKey ? (request.idempotencyFingerprint ?? null) : null,
  };
}
