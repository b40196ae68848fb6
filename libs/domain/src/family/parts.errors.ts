import { DomainError } from '../shared/domain-error';

/**
 * Refusals about parts in the case. Their messages name no record and no other unit's
 * business: a caller without a part learns only that it has none (errors tell nothing).
 */

export class NoPartInCase extends DomainError {
  readonly code = 'NO_PART_IN_CASE';
  readonly kind = 'forbidden';
  /** `otherUnit`: the unit the command names (not the actor's) is the one without a part. */
  constructor(action: string, otherUnit?: string) {
    super(
      `You cannot ${action}: ${otherUnit ?? 'your unit'} has no part in this family's case. A unit takes part by registering the family or by accepting a referral from a unit that has a part (forvaltningsloven § 13, tjenstlig behov).`,
      otherUnit ? { action, unit: otherUnit } : { action },
    );
  }
}

export class PartnerNotEnrolled extends DomainError {
  readonly code = 'PARTNER_NOT_ENROLLED';
  readonly kind = 'forbidden';
  constructor(action: string) {
    super(`Your organisation cannot ${action}: it acts only for members enrolled, by the responsible unit, in a sub-project that names your organisation.`, {
      action,
    });
  }
}

export class ReferralNotFound extends DomainError {
  readonly code = 'REFERRAL_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(referralId: string) {
    super(`No referral ${referralId} to your unit in this family.`, { referralId });
  }
}

export class ReferralNotOpen extends DomainError {
  readonly code = 'REFERRAL_NOT_OPEN';
  readonly kind = 'conflict';
  constructor(referralId: string, status: string) {
    super(`Referral ${referralId} was already ${status}.`, { referralId, status });
  }
}

export class AlreadyHasPart extends DomainError {
  readonly code = 'ALREADY_HAS_PART';
  readonly kind = 'conflict';
  constructor(unit: string) {
    super(`${unit} already has a part in this family's case.`, { unit });
  }
}

export class ReferralConsentMissing extends DomainError {
  readonly code = 'REFERRAL_CONSENT_MISSING';
  readonly kind = 'invalid';
  constructor(memberId: string, unit: string) {
    super(
      `A referral passes the member's information to ${unit}: it needs an information-sharing consent in force from member ${memberId} (or the person entitled to give it) that names ${unit} (forvaltningsloven § 13 a no. 1), unless a duty to inform applies.`,
      { memberId, unit },
    );
  }
}

export class InvolvementStillNeeded extends DomainError {
  readonly code = 'INVOLVEMENT_STILL_NEEDED';
  readonly kind = 'conflict';
  constructor(unit: string, why: string) {
    super(`${unit}'s involvement cannot close yet: ${why}`, { unit });
  }
}

export class EnrolmentNotFound extends DomainError {
  readonly code = 'ENROLMENT_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(enrolmentId: string) {
    super(`No active enrolment ${enrolmentId} in this family.`, { enrolmentId });
  }
}

export class ParentalResponsibilityNotFound extends DomainError {
  readonly code = 'PARENTAL_RESPONSIBILITY_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(childId: string, holderId: string) {
    super(`No parental responsibility of ${holderId} for ${childId} is recorded.`, { childId, holderId });
  }
}
