import { DomainError } from '../shared/domain-error';
import { formatNok } from '../shared/money';

export class SubProjectNotFound extends DomainError {
  readonly code = 'SUB_PROJECT_NOT_FOUND';
  readonly kind = 'not_found';
  constructor() {
    super('This sub-project has not been approved.');
  }
}

export class SubProjectAlreadyApproved extends DomainError {
  readonly code = 'SUB_PROJECT_ALREADY_APPROVED';
  readonly kind = 'conflict';
  constructor(subProjectId: string) {
    super(`Sub-project ${subProjectId} is already approved.`, { subProjectId });
  }
}

export class SubProjectWasTerminated extends DomainError {
  readonly code = 'SUB_PROJECT_TERMINATED';
  readonly kind = 'conflict';
  constructor(subProjectId: string) {
    super(`Sub-project ${subProjectId} was terminated at a review and accepts no more spending or reviews.`, { subProjectId });
  }
}

/** The semester's budget cannot cover the amount. Retrying after a concurrent spend gives this too. */
export class BudgetExceeded extends DomainError {
  readonly code = 'BUDGET_EXCEEDED';
  readonly kind = 'conflict';
  constructor(subProjectId: string, semester: string, amountOre: number, remainingOre: number) {
    super(`Sub-project ${subProjectId} has ${formatNok(remainingOre)} left for ${semester}; ${formatNok(amountOre)} does not fit.`, {
      subProjectId,
      semester,
      amountOre,
      remainingOre,
    });
  }
}

export class SpendAlreadyRecorded extends DomainError {
  readonly code = 'SPEND_ALREADY_RECORDED';
  readonly kind = 'conflict';
  constructor(paymentId: string) {
    super(`Payment ${paymentId} is already recorded against this sub-project.`, { paymentId });
  }
}

export class SpendNotFound extends DomainError {
  readonly code = 'SPEND_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(paymentId: string) {
    super(`Payment ${paymentId} is not recorded against this sub-project.`, { paymentId });
  }
}

export class SpendAlreadyReversed extends DomainError {
  readonly code = 'SPEND_ALREADY_REVERSED';
  readonly kind = 'conflict';
  constructor(paymentId: string) {
    super(`Payment ${paymentId} has already been reversed on this sub-project.`, { paymentId });
  }
}

export class ReviewAlreadyRecorded extends DomainError {
  readonly code = 'REVIEW_ALREADY_RECORDED';
  readonly kind = 'conflict';
  constructor(semester: string) {
    super(`The review for ${semester} is already recorded.`, { semester });
  }
}

export class TooFewActors extends DomainError {
  readonly code = 'TOO_FEW_ACTORS';
  readonly kind = 'invalid';
  constructor(count: number, minimum: number) {
    super(`A sub-project brings together at least ${minimum} different actors; this one names ${count}.`, { count, minimum });
  }
}

export class NoResponsibleMunicipalActor extends DomainError {
  readonly code = 'NO_RESPONSIBLE_MUNICIPAL_ACTOR';
  readonly kind = 'invalid';
  constructor(responsibleUnit: string) {
    super(`The responsible unit ${responsibleUnit} must be one of the sub-project's municipal actors.`, { responsibleUnit });
  }
}

/** Pilot money may not pay for staff (seed l.213). */
export class StaffNotFundable extends DomainError {
  readonly code = 'STAFF_NOT_FUNDABLE';
  readonly kind = 'invalid';
  constructor() {
    super('Sub-project money may not pay for staff.');
  }
}

export class SemesterNotFunded extends DomainError {
  readonly code = 'SEMESTER_NOT_FUNDED';
  readonly kind = 'invalid';
  constructor(semester: string, semesters: string[]) {
    super(`The sub-project has no budget for ${semester}; it is funded for ${semesters.join(', ')}.`, { semester, semesters });
  }
}

/**
 * A partner records a payment from a sub-project only as a non-municipal actor of it that
 * may record payments (mayRecordPayments), matched by the partner organisation's name.
 */
export class PartnerMayNotPay extends DomainError {
  readonly code = 'PARTNER_MAY_NOT_PAY';
  readonly kind = 'forbidden';
  constructor(subProjectId: string, organisation: string | null) {
    super(
      organisation
        ? `${organisation} is not an actor of sub-project ${subProjectId} that may record payments from its budget.`
        : `Your user is linked to no partner organisation, so it cannot record payments from sub-project ${subProjectId}.`,
      { subProjectId, organisation },
    );
  }
}

/** A run id answers once; the API answers a retry with the first result before deciding anything. */
export class PaymentRunAlreadyRecorded extends DomainError {
  readonly code = 'PAYMENT_RUN_ALREADY_RECORDED';
  readonly kind = 'conflict';
  constructor(runId: string) {
    super(`Payment run ${runId} is already recorded on this sub-project.`, { runId });
  }
}

/**
 * A payment run's total does not fit what is left of a semester: the run is refused as a
 * whole (422, a rule the input breaks, unlike one payment losing a race for the last money).
 */
export class PaymentRunOverBudget extends DomainError {
  readonly code = 'PAYMENT_RUN_OVER_BUDGET';
  readonly kind = 'invalid';
  constructor(subProjectId: string, semester: string, totalOre: number, remainingOre: number) {
    super(`The run pays ${formatNok(totalOre)} in ${semester}, but sub-project ${subProjectId} has ${formatNok(remainingOre)} left there. Nothing was paid.`, {
      subProjectId,
      semester,
      amountOre: totalOre,
      remainingOre,
    });
  }
}

/** Some families refuse their payment of a run: nothing is paid; `errors` names each family's reason. */
export class PaymentRunRefused extends DomainError {
  readonly code = 'PAYMENT_RUN_REFUSED';
  readonly kind = 'invalid';
  constructor(errors: Array<{ familyId: string; paymentIndex: number; code: string; message: string }>) {
    super(`${errors.length} payment(s) of the run are refused by their family; nothing was paid. See errors.`, { errors });
  }
}

/** The same run id with another body: a retry must resend the same run; a new run needs a new id. */
export class PaymentRunIdReused extends DomainError {
  readonly code = 'PAYMENT_RUN_ID_REUSED';
  readonly kind = 'invalid';
  constructor(runId: string) {
    super(`Payment run ${runId} was already recorded with other payments. Send the same run again to get its result, or use a new run id.`, { runId });
  }
}
