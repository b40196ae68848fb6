export const ROLES = ['caseworker', 'approver', 'unit-leader', 'partner', 'auditor', 'rules-analyst'] as const;
export type Role = (typeof ROLES)[number];

/** Roles held by municipal staff: they act on behalf of their unit and must name it. */
export const MUNICIPAL_ROLES: readonly Role[] = ['caseworker', 'approver', 'unit-leader'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
