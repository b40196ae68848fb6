import { DomainError } from '../shared/domain-error';

/** Refusals of notification and appeal commands (forvaltningsloven §§ 27-34, 42). */

export class NotificationNotFound extends DomainError {
  readonly code = 'NOTIFICATION_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(notificationId: string) {
    super(`No notification ${notificationId} in this family.`, { notificationId });
  }
}

export class NotificationAlreadyReceived extends DomainError {
  readonly code = 'NOTIFICATION_ALREADY_RECEIVED';
  readonly kind = 'conflict';
  constructor(notificationId: string, receivedOn: string) {
    super(`Notification ${notificationId} was already recorded as received on ${receivedOn}.`, { notificationId, receivedOn });
  }
}

/** fvl § 27 (1): the parties are notified; a member who is not a party of the decision is not. */
export class RecipientNotAParty extends DomainError {
  readonly code = 'RECIPIENT_NOT_A_PARTY';
  readonly kind = 'invalid';
  constructor(memberId: string, decisionId: string) {
    super(
      `Member ${memberId} is not a party of decision ${decisionId} (forvaltningsloven § 2 (1) e): notify the members it concerns, or the holders of parental responsibility for a child.`,
      { memberId, decisionId, provision: 'forvaltningsloven § 2 første ledd bokstav e, § 27' },
    );
  }
}

/** The step does not fit where the appeal stands (e.g. forwarding a dismissed appeal). */
export class AppealStageConflict extends DomainError {
  readonly code = 'APPEAL_STAGE_CONFLICT';
  readonly kind = 'conflict';
  constructor(appealId: string, stage: string, action: string, allowed: readonly string[], provision: string) {
    super(`Appeal ${appealId} is ${stage}; it can be ${action} only when ${allowed.join(' or ')} (${provision}).`, {
      appealId,
      stage,
      allowed: [...allowed],
      provision,
    });
  }
}

/** fvl § 33 (2): the unit dismisses only when a condition for hearing the appeal is not met. */
export class AppealRequirementsMet extends DomainError {
  readonly code = 'APPEAL_REQUIREMENTS_MET';
  readonly kind = 'conflict';
  constructor(appealId: string) {
    super(
      `Appeal ${appealId} meets the conditions for being heard; it cannot be dismissed. Prepare it, then change the decision or forward it (forvaltningsloven § 33).`,
      { appealId, provision: 'forvaltningsloven § 33 annet ledd' },
    );
  }
}

/** fvl § 28: the appeal body follows from the law (the catalogue), never from the request. */
export class AppealBodyMismatch extends DomainError {
  readonly code = 'APPEAL_BODY_MISMATCH';
  readonly kind = 'invalid';
  constructor(requested: string, body: string, provision: string) {
    super(`The appeal body for this decision is ${body} (${provision}), not ${requested}.`, { requested, body, provision });
  }
}

/** fvl § 42 (2): a refusal of suspended execution is reasoned. */
export class SuspensionReasonsRequired extends DomainError {
  readonly code = 'SUSPENSION_REASONS_REQUIRED';
  readonly kind = 'invalid';
  constructor(appealId: string) {
    super(`Say why execution is not suspended while appeal ${appealId} is heard (forvaltningsloven § 42).`, {
      appealId,
      provision: 'forvaltningsloven § 42',
    });
  }
}
