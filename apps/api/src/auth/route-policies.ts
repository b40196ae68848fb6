import type { Role } from '@familievedtak/domain';

/**
 * Which roles may call a route at all, keyed by "METHOD /path" as Fastify's
 * `request.routeOptions.url` gives it. Default deny: the AuthGuard refuses (403) a route with
 * no entry, and a role not listed. This is only the coarse gate; who may do what to which
 * family (unit of the actor, approver of the deciding unit, partner organisation, consent)
 * stays with the domain deciders and the read filtering. A test checks every route of the
 * OpenAPI document has an entry and every entry is a real route.
 */
const MUNICIPAL: readonly Role[] = ['caseworker', 'approver', 'unit-leader'];
const MUNICIPAL_AND_PARTNER: readonly Role[] = [...MUNICIPAL, 'partner'];
/** Who may read a family at all (what each sees is filtered elsewhere). */
const FAMILY_READERS: readonly Role[] = [...MUNICIPAL, 'partner', 'auditor'];
/** As the rules controller requires for reading and explaining delegation rules. */
const RULE_READERS: readonly Role[] = ['rules-analyst', 'unit-leader', 'auditor', 'delegation-authority'];

export const ROUTE_POLICIES: Record<string, readonly Role[]> = {
  // Families: reads
  'GET /families': FAMILY_READERS,
  'GET /families/:familyId': FAMILY_READERS,
  'GET /families/:familyId/stream-state': FAMILY_READERS,
  // Finding a family (a read, POST so a national id stays out of URLs): municipal staff; what
  // each finds is decided like the list (partners see their enrolled families in GET /families)
  'POST /families/search': MUNICIPAL,
  // Families: commands (auditors and rules analysts write nothing to families)
  'POST /families': MUNICIPAL,
  // A part in the case: referrals, their answers, closing a unit's involvement, enrolments in
  // sub-projects and parental responsibility are municipal acts (the domain checks the unit's part).
  'POST /families/:familyId/referrals': MUNICIPAL,
  'POST /families/:familyId/referrals/:referralId/accept': MUNICIPAL,
  'POST /families/:familyId/referrals/:referralId/decline': MUNICIPAL,
  'POST /families/:familyId/involvement/close': MUNICIPAL,
  'POST /families/:familyId/enrolments': MUNICIPAL,
  'POST /families/:familyId/enrolments/:enrolmentId/end': MUNICIPAL,
  'POST /families/:familyId/parental-responsibility': MUNICIPAL,
  'POST /families/:familyId/parental-responsibility/end': MUNICIPAL,
  'POST /families/:familyId/members': MUNICIPAL,
  'POST /families/:familyId/members/:memberId/leave': MUNICIPAL,
  'POST /families/:familyId/team': MUNICIPAL,
  'POST /families/:familyId/team/:personId/leave': MUNICIPAL,
  'PUT /families/:familyId/coordinating-unit': MUNICIPAL,
  'POST /families/:familyId/needs': MUNICIPAL_AND_PARTNER,
  'POST /families/:familyId/needs/:needId/pick-up': MUNICIPAL,
  'POST /families/:familyId/needs/:needId/resolve': MUNICIPAL,
  'POST /families/:familyId/needs/:needId/withdraw': MUNICIPAL,
  'POST /families/:familyId/consents': MUNICIPAL,
  'POST /families/:familyId/consents/:consentId/withdraw': MUNICIPAL,
  'POST /families/:familyId/decisions': MUNICIPAL,
  'POST /families/:familyId/decisions/:decisionId/approve': MUNICIPAL,
  'POST /families/:familyId/decisions/:decisionId/reject': MUNICIPAL,
  'POST /families/:familyId/decisions/:decisionId/amend': MUNICIPAL,
  'POST /families/:familyId/decisions/:decisionId/revoke': MUNICIPAL,
  'POST /families/:familyId/decisions/:decisionId/expire': MUNICIPAL,
  // Advance notice before a change to the party's detriment (forvaltningsloven § 16); the domain checks the deciding unit.
  'POST /families/:familyId/decisions/:decisionId/advance-notices': MUNICIPAL,
  'POST /families/:familyId/advance-notices/:noticeId/statements': MUNICIPAL,
  // Notification and appeals (fvl §§ 27-34, 42): the domain checks the deciding unit and, for
  // dismissing, changing, forwarding and suspension, its approver.
  'POST /families/:familyId/notifications': MUNICIPAL,
  'POST /families/:familyId/notifications/:notificationId/received': MUNICIPAL,
  'POST /families/:familyId/appeals': MUNICIPAL,
  'POST /families/:familyId/appeals/:appealId/assessment': MUNICIPAL,
  'POST /families/:familyId/appeals/:appealId/dismiss': MUNICIPAL,
  'POST /families/:familyId/appeals/:appealId/preparation': MUNICIPAL,
  'POST /families/:familyId/appeals/:appealId/change-decision': MUNICIPAL,
  'POST /families/:familyId/appeals/:appealId/forward': MUNICIPAL,
  'POST /families/:familyId/appeals/:appealId/outcome': MUNICIPAL,
  'POST /families/:familyId/appeals/:appealId/withdraw': MUNICIPAL,
  'POST /families/:familyId/appeals/:appealId/suspension-request': MUNICIPAL,
  'POST /families/:familyId/appeals/:appealId/suspension': MUNICIPAL,
  // A partner records needs and pays only for members enrolled in a sub-project naming its
  // organisation, and pays only where the enrolment gives leave (checked by the domain on both streams).
  'POST /families/:familyId/payments': MUNICIPAL_AND_PARTNER,
  'POST /families/:familyId/payments/:paymentId/reverse': MUNICIPAL,
  'POST /families/:familyId/family-decisions': MUNICIPAL,
  // The family's plan: units with a part that the plan names (checked by the domain).
  'POST /families/:familyId/family-plans': MUNICIPAL,
  'POST /families/:familyId/family-plans/:planId/revise': MUNICIPAL,
  'POST /families/:familyId/family-plans/:planId/reviews': MUNICIPAL,
  'POST /families/:familyId/family-plans/:planId/end': MUNICIPAL,
  // The family letter (issue 14): the domain checks the unit's part; a copy is fetched by a unit
  // with a part that issued it or made one of its decisions (checked in the controller), or an auditor.
  'POST /families/:familyId/letters/preview': MUNICIPAL,
  'POST /families/:familyId/letters': MUNICIPAL,
  'POST /families/:familyId/letters/:letterId/deliveries': MUNICIPAL,
  'GET /families/:familyId/letters/:letterId/copies/:recipientMemberId/pdf': [...MUNICIPAL, 'auditor'],
  'GET /families/:familyId/letters/:letterId/copies/:recipientMemberId/html': [...MUNICIPAL, 'auditor'],
  // Retention and erasure (docs/operations/retention-and-erasure.md). An erasure request is the
  // unit leader's (the domain checks the unit's part); running the job is the delegation
  // authority's, for the whole municipality (auditors may ask for the plan, a dry run: the
  // controller refuses them a run); the archive export, a read of everything, the auditor's
  // (under /audit: the CaseExportedForArchive it records changes nothing in the case).
  'GET /retention/schedule': [...MUNICIPAL, 'auditor', 'rules-analyst', 'delegation-authority'],
  'POST /retention/runs': ['delegation-authority', 'auditor'],
  'GET /retention/runs': ['delegation-authority', 'auditor'],
  'POST /families/:familyId/erasure-requests': ['unit-leader'],
  'POST /audit/families/:familyId/archive-exports': ['auditor'],
  // Read audit
  'GET /audit/reads': ['auditor'],
  'GET /audit/families/:familyId/history': ['auditor'],
  'GET /audit/families/:familyId/as-of': ['auditor'],
  'GET /audit/members/:memberId/subject-access': ['auditor'],
  'GET /audit/members/:memberId/subject-access.html': ['auditor'],
  'GET /audit/verify': ['auditor'],
  'POST /audit/rebuild-compare': ['auditor'],
  'GET /audit/reconcile': ['auditor'],
  // Delegation rule sets: drafting is the rules analysts'; putting a set in force or retiring it
  // is the delegation authority's, on a delegation decision (kommuneloven § 13-1), no unit leader's.
  'POST /rule-sets': ['rules-analyst'],
  'POST /rule-sets/:ruleSetId/activate': ['delegation-authority'],
  'POST /rule-sets/:ruleSetId/retire': ['delegation-authority'],
  'GET /rule-sets': RULE_READERS,
  'GET /rule-sets/:ruleSetId': RULE_READERS,
  'POST /rule-sets/:ruleSetId/explain': RULE_READERS,
  // What-if runs
  'POST /what-if/runs': ['rules-analyst'],
  'POST /what-if/runs/html': ['rules-analyst'],
  // Sub-projects
  'POST /sub-projects': ['unit-leader'],
  'POST /sub-projects/:subProjectId/reviews': ['unit-leader'],
  'GET /sub-projects': [...MUNICIPAL, 'partner', 'auditor'],
  'GET /sub-projects/:subProjectId': [...MUNICIPAL, 'partner', 'auditor'],
  'GET /sub-projects/:subProjectId/spends': [...MUNICIPAL, 'partner', 'auditor'],
  // Payment runs: whoever may pay from a sub-project (its unit's staff, partners with leave to
  // pay; the domain decides which budget); reading a run also the auditor.
  'POST /sub-projects/:subProjectId/payment-runs': MUNICIPAL_AND_PARTNER,
  'GET /sub-projects/:subProjectId/payment-runs/:runId': [...MUNICIPAL_AND_PARTNER, 'auditor'],
};

/** The roles allowed on a route, or undefined when the route has no policy (then nobody is). */
export function rolesFor(method: string, url: string | undefined): readonly Role[] | undefined {
  if (!url) return undefined;
  return Object.prototype.hasOwnProperty.call(ROUTE_POLICIES, `${method} ${url}`) ? ROUTE_POLICIES[`${method} ${url}`] : undefined;
}
