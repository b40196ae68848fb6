import type { Role } from './roles';
import type { Unit } from './units';

/** Who sends a command. Built by the application from the authenticated caller, never from a request body. */
export type Actor = {
  userId: string;
  role: Role;
  unit?: Unit;
  partnerOrganisation?: string;
  /**
   * Cleared to see members with a protected address (strengt fortrolig adresse); from the
   * token's `clearances` claim. Not recorded in events: it only governs what reads show.
   */
  protectedAddressClearance?: boolean;
};

/** The actor as recorded in events: JSON-only, absent values as null. */
export type ActorRef = {
  userId: string;
  role: Role;
  unit: Unit | null;
  partnerOrganisation: string | null;
};

export function actorRef(actor: Actor): ActorRef {
  return {
    userId: actor.userId,
    role: actor.role,
    unit: actor.unit ?? null,
    partnerOrganisation: actor.partnerOrganisation ?? null,
  };
}
