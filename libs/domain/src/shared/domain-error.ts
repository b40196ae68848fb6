import type { JsonObject } from './json';

/**
 * How the API should answer: not_found -> 404, conflict (with the stream's current
 * state) -> 409, forbidden (competence, roles) -> 403, invalid (a rule the input breaks) -> 422.
 */
export type DomainErrorKind = 'not_found' | 'conflict' | 'forbidden' | 'invalid';

/**
 * Base of every refusal. `code` is stable (clients and the API branch on it); `message` is
 * written for a caseworker; `details` holds the JSON facts behind it (ids, fields, reasons).
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    readonly details: JsonObject = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** A field is missing, of the wrong kind, too long or not one of the allowed values. */
export class InvalidInput extends DomainError {
  readonly code = 'INVALID_INPUT';
  readonly kind = 'invalid';
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`, { field });
  }
}

export class InvalidDate extends DomainError {
  readonly code = 'INVALID_DATE';
  readonly kind = 'invalid';
  constructor(field: string, value: unknown, problem = 'must be a real calendar date written YYYY-MM-DD') {
    super(`${field} ${problem} (got ${JSON.stringify(value) ?? String(value)}).`, {
      field,
      value: typeof value === 'string' ? value : null,
    });
  }
}

export class InvalidPeriod extends DomainError {
  readonly code = 'INVALID_PERIOD';
  readonly kind = 'invalid';
  constructor(from: string, until: string, what = 'The period') {
    super(`${what} ends (${until}) before it starts (${from}).`, { from, until });
  }
}

export class InvalidAmount extends DomainError {
  readonly code = 'INVALID_AMOUNT';
  readonly kind = 'invalid';
  constructor(field: string, value: unknown, problem: string) {
    super(`${field} ${problem} (got ${JSON.stringify(value) ?? String(value)}).`, {
      field,
      value: typeof value === 'number' && Number.isFinite(value) ? value : null,
    });
  }
}

export class UnknownUnit extends DomainError {
  readonly code = 'UNKNOWN_UNIT';
  readonly kind = 'invalid';
  constructor(value: unknown) {
    super(`${JSON.stringify(value) ?? String(value)} is not a municipal unit (HVK, BFT, NAV, INN or OPPVEKST).`);
  }
}

/** The actor's role does not allow this command at all (e.g. an auditor, who only reads). */
export class ActionNotPermitted extends DomainError {
  readonly code = 'ACTION_NOT_PERMITTED';
  readonly kind = 'forbidden';
  constructor(action: string, role: string, explanation: string) {
    super(`A user with the role '${role}' may not ${action}: ${explanation}`, { action, role });
  }
}

/** The actor works for another unit than the one the command acts for. */
export class UnitMismatch extends DomainError {
  readonly code = 'UNIT_MISMATCH';
  readonly kind = 'forbidden';
  constructor(actorUnit: string | undefined, requiredUnit: string, action: string) {
    super(
      actorUnit ? `Only ${requiredUnit} may ${action}; you act for ${actorUnit}.` : `Only ${requiredUnit} may ${action}; your user is not linked to a unit.`,
      { actorUnit: actorUnit ?? null, requiredUnit },
    );
  }
}
