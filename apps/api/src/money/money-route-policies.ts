import type { Role } from '@familievedtak/domain';
import { ROUTE_POLICIES } from '../auth/route-policies';

/**
 * The money routes' entries in the route policies (default deny). They belong in
 * auth/route-policies.ts; until they are moved there, the money module adds them when it is
 * loaded (before the guard answers any request). The domain decides who pays from which budget.
 */
export const MONEY_ROUTE_POLICIES: Record<string, readonly Role[]> = {
  // Whoever may pay from a sub-project (its unit's staff; partners with leave to pay).
  'POST /sub-projects/:subProjectId/payment-runs': ['caseworker', 'approver', 'unit-leader', 'partner'],
  'GET /sub-projects/:subProjectId/payment-runs/:runId': ['caseworker', 'approver', 'unit-leader', 'partner', 'auditor'],
  'GET /audit/reconcile': ['auditor'],
};

export function registerMoneyRoutePolicies(): void {
  for (const [route, roles] of Object.entries(MONEY_ROUTE_POLICIES)) {
    if (!(route in ROUTE_POLICIES)) ROUTE_POLICIES[route] = roles;
  }
}
