/**
 * `delegation-authority`: whoever acts on the delegation decision of the council or the chief
 * executive (kommuneloven § 13-1), the only role that puts a delegation rule set in force. It
 * acts for no unit, so it is no MUNICIPAL_ROLE.
 */
export const ROLES = ['caseworker', 'approver', 'unit-leader', 'partner', 'auditor', 'rules-analyst', 'delegation-authority'] as const;
export type Role = (typeof ROLES)[number];

/** Roles held by municipal staff: they act on behalf of their unit and must name it. */
export const MUNICIPAL_ROLES: readonly Role[] = ['caseworker', 'approver', 'unit-leader'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
