import { DomainError } from '../shared/domain-error';

/** Refusals of the family plan (individuell plan). Messages speak to a caseworker and cite the rule. */

export class FamilyPlanNotFound extends DomainError {
  readonly code = 'FAMILY_PLAN_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(planId: string) {
    super(`No family plan ${planId} in this family.`, { planId });
  }
}

export class FamilyPlanAlreadyActive extends DomainError {
  readonly code = 'FAMILY_PLAN_ALREADY_ACTIVE';
  readonly kind = 'conflict';
  constructor(planId: string) {
    super(`The family already has a plan (${planId}): revise it, or end it before recording a new one.`, { planId });
  }
}

export class FamilyPlanNotActive extends DomainError {
  readonly code = 'FAMILY_PLAN_NOT_ACTIVE';
  readonly kind = 'conflict';
  constructor(planId: string) {
    super(`The family plan ${planId} has ended: record a new plan instead.`, { planId });
  }
}

/**
 * An individual plan is not made without the consent of the person it is about, or of whoever
 * may consent for them (pasient- og brukerrettighetsloven § 2-5; the regulation on habilitation,
 * rehabilitation, individual plan and coordinator, section not verified: «Individuell plan skal
 * ikke utarbeides uten samtykke fra pasienten eller brukeren eller den som kan samtykke på
 * vegne av vedkommende»).
 */
export class FamilyPlanConsentMissing extends DomainError {
  readonly code = 'FAMILY_PLAN_CONSENT_MISSING';
  readonly kind = 'invalid';
  constructor(memberIds: string[], units: string[]) {
    super(
      `An individual plan needs the consent of each member it is about (pasient- og brukerrettighetsloven § 2-5): a coordination consent in force today naming ${units.join(', ')}. Missing for: ${memberIds.join(', ')}.`,
      { memberIds, units, provision: 'pbrl § 2-5; hol § 7-1' },
    );
  }
}

/** Every unit the plan names must take part in the case: the plan cannot hand work to a unit with no service need. */
export class FamilyPlanUnitWithoutPart extends DomainError {
  readonly code = 'FAMILY_PLAN_UNIT_WITHOUT_PART';
  readonly kind = 'invalid';
  constructor(units: string[]) {
    super(`The plan names ${units.join(', ')}, which ${units.length === 1 ? 'has' : 'have'} no part in the case: refer the family first.`, { units });
  }
}

/** Only a unit the plan names (the coordinator's or one that answers for something) writes to it. */
export class NotInFamilyPlan extends DomainError {
  readonly code = 'NOT_IN_FAMILY_PLAN';
  readonly kind = 'forbidden';
  constructor(unit: string, action: string) {
    super(`${unit} is not named in the family's plan, so it may not ${action}.`, { unit, action });
  }
}
