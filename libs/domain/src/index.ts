/**
 * @familievedtak/domain: the pure domain. No framework, database or event-store imports:
 * deciders (decide/evolve/initialState), their commands, events, state and errors, and the
 * delegation rules as data. Test helpers live in ./testing and are not exported here
 * (they need jest's globals).
 */

// shared
export * from './shared/json';
export * from './shared/units';
export * from './shared/roles';
export * from './shared/actor';
export * from './shared/decision-context';
export * from './shared/domain-error';
export * from './shared/local-date';
export * from './shared/money';
export * from './shared/decider';
export * from './shared/stamp';
export { requireRole } from './shared/permissions';
export { isReservedName } from './shared/validation';

// delegation
export * from './delegation/decision-type.catalogue';
export * from './delegation/delegation-rule-set';
export * from './delegation/delegation.errors';
export * from './delegation/competence.evaluator';
export * from './delegation/delegation-rule-set.validation';
export * from './delegation/legal-limits';
export * from './delegation/trondheim-2023.rule-set';

// family stream
export * from './family/family.values';
export * from './family/family.commands';
export * from './family/family.events';
export * from './family/family.state';
export * from './family/family.errors';
export * from './family/family.queries';
export * from './family/family.evolve';
export * from './family/family.decider';
export * from './family/appeals.types';
export * from './family/appeals.errors';
export { appealDeadlineFor } from './family/appeals.decide';
export { partiesOf, informsFor } from './family/notification.decide';
export * from './shared/norwegian-calendar';
export { CHILD_SELF_CONSENT_AGE, consentGiverProblem } from './family/consents.decide';
export { ADULT_AGE } from './family/parts.decide';
export * from './family/parts.errors';
export { upcastFamilyEvent } from './family/family.upcast';
export * from './family/decision-reasons';
export * from './family/decision-valid-time';
export * from './family/decision-errors';
export * from './family/decision-advance-notice';
export { hasActivePart, enrolmentsOf } from './family/family.guards';
export { MAX_NEED_WORDS } from './family/needs.decide';
export { abandonPayment, type PaymentToAbandon } from './family/payments.decide';
export { competenceFamily } from './family/decision-competence';
export * from './family/family-plan.types';
export * from './family/letters.types';
export * from './family/letters.errors';
export { appealDeadlineOf, letterConsentOf, letterDecisionsFor, letterLanguageFor, letterPartBasis, letterRecipients } from './family/letters.decide';
export * from './family/family-plan.errors';
export { activePlan, looksLikeCode, planUnits } from './family/family-plan.decide';
export { mayReadFamilyPlan, maskFamilyPlan, planVisibleTo, readablePlans } from './family/family-plan.access';
export { familyDecisionConsequences } from './family/family-decision.decide';

// sub-project budget streams
export * from './sub-project/semester';
export * from './sub-project/sub-project.values';
export * from './sub-project/sub-project.commands';
export * from './sub-project/sub-project.events';
export * from './sub-project/sub-project.state';
export * from './sub-project/sub-project.errors';
export * from './sub-project/sub-project.evolve';
export * from './sub-project/sub-project.upcast';
export * from './sub-project/sub-project.decider';

// delegation rule-set streams
export * from './rule-set/rule-set';
export * from './rule-set/rule-set-in-force';

// who may read what of a family
export * from './access/family-read-access';

// which fields of the family events are personal data, under which key (crypto-shredding)
export * from './personal-data';

// retention schedule and erasure (GDPR art. 5(1)(e), 17; docs/design/retention-and-erasure.md)
export * from './retention/retention-schedule';
export * from './retention/retention-records';
export * from './retention/retention-planner';
export * from './retention/erasure.types';
export * from './retention/erasure.errors';
export { ERASURE_REFUSAL_PROVISIONS, RETENTION_JOB_ACTOR } from './retention/erasure.decide';
