import type { Actor } from './actor';
import { ActionNotPermitted, UnitMismatch } from './domain-error';
import { isRole, MUNICIPAL_ROLES, type Role } from './roles';
import type { Unit } from './units';

/** Throws ACTION_NOT_PERMITTED unless the actor holds one of the roles. */
export function requireRole(actor: Actor, roles: readonly Role[], action: string): void {
  if (!isRole(actor.role) || !roles.includes(actor.role)) {
    throw new ActionNotPermitted(action, String(actor.role), `it needs one of the roles ${roles.join(', ')}.`);
  }
}

/** A municipal actor (caseworker, approver, unit leader) linked to a unit; returns that unit. */
export function requireMunicipalActor(actor: Actor, action: string): Unit {
  requireRole(actor, MUNICIPAL_ROLES, action);
  if (!actor.unit) {
    throw new ActionNotPermitted(action, actor.role, 'municipal staff must act for a unit, and your user has none.');
  }
  return actor.unit;
}

/** A municipal actor of exactly this unit. */
export function requireActorOfUnit(actor: Actor, unit: Unit, action: string, roles: readonly Role[] = MUNICIPAL_ROLES): void {
  requireRole(actor, roles, action);
  if (actor.unit !== unit) throw new UnitMismatch(actor.unit, unit, action);
}
