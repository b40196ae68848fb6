import type { JsonObject } from '@familievedtak/event-store';

/** Who and why, carried by every event (the "who and why" rule of the project). */
export interface CommandEnvelope {
  commandId: string;
  commandType: string;
  correlationId: string;
  /** The message that caused this command (a previous command or event id); the command itself if none. */
  causationId: string;
  actor: { userId: string; unit: string | null; role: string; partnerOrganisation: string | null };
  /** The delegation rule set in force when the command was decided. */
  ruleSetId: string;
  idempotencyKey: string | null;
  /**
   * Hash of the request that sent the idempotency key (method, route, body): a retry whose
   * fingerprint differs is a reuse of the key, refused. Absent on commands without a key.
   */
  idempotencyFingerprint?: string | null;
}

export function eventMetadata(envelope: CommandEnvelope, schemaVersion: number): JsonObject {
  const metadata: JsonObject = {
    commandId: envelope.commandId,
    commandType: envelope.commandType,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    actor: envelope.actor,
    ruleSetId: envelope.ruleSetId,
    idempotencyKey: envelope.idempotencyKey,
    schemaVersion,
  };
  if (envelope.idempotencyKey && envelope.idempotencyFingerprint) metadata.idempotencyFingerprint = envelope.idempotencyFingerprint;
  return metadata;
}
