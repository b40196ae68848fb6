import { DomainError } from '../shared/domain-error';

/** Refusals of the decision lifecycle as the law makes it (issue 13). Each names its provision. */

export class ReasonsIncomplete extends DomainError {
  readonly code = 'REASONS_INCOMPLETE';
  readonly kind = 'invalid';
  constructor(missing: string[], freeText: boolean) {
    super(`${freeText ? 'Free-text reasons are not enough: ' : ''}the reasons must name ${missing.join(', ')} (forvaltningsloven §§ 24-25).`, {
      missing,
      provision: 'forvaltningsloven §§ 24-25',
    });
  }
}

export class ChildViewsMissing extends DomainError {
  readonly code = 'CHILD_VIEWS_MISSING';
  readonly kind = 'invalid';
  constructor(memberIds: string[]) {
    super(
      `The decision is about ${memberIds.join(', ')}, under 18: record the child's views and the weight given, or why the child was not heard (barnekonvensjonen art. 12, Grunnloven § 104, barnevernsloven § 1-4).`,
      { memberIds, provision: 'barnekonvensjonen art. 12; Grunnloven § 104; barnevernsloven § 1-4' },
    );
  }
}

export class EnkeltvedtakFollowsFromLaw extends DomainError {
  readonly code = 'ENKELTVEDTAK_FOLLOWS_FROM_LAW';
  readonly kind = 'invalid';
  constructor() {
    super('Whether a decision is an enkeltvedtak follows from its type (forvaltningsloven § 2), not from the request: leave enkeltvedtak out.', {
      field: 'enkeltvedtak',
      provision: 'forvaltningsloven § 2',
    });
  }
}

export class EffectiveDateInvalid extends DomainError {
  readonly code = 'EFFECTIVE_DATE_INVALID';
  readonly kind = 'invalid';
  constructor(decisionId: string, effectiveFrom: string, problem: string, provision: string) {
    super(`effectiveFrom ${effectiveFrom} for decision ${decisionId}: ${problem} (${provision}).`, { decisionId, effectiveFrom, provision });
  }
}

export class RevocationGroundRequired extends DomainError {
  readonly code = 'REVOCATION_GROUND_REQUIRED';
  readonly kind = 'invalid';
  constructor(decisionId: string, problem: string) {
    super(`Decision ${decisionId}: ${problem} (forvaltningsloven § 35 first paragraph).`, { decisionId, provision: 'forvaltningsloven § 35 (1)' });
  }
}

export class AdvanceNoticeRequired extends DomainError {
  readonly code = 'ADVANCE_NOTICE_REQUIRED';
  readonly kind = 'invalid';
  constructor(decisionId: string, problem: string) {
    super(`Decision ${decisionId}: ${problem} (forvaltningsloven § 16).`, { decisionId, provision: 'forvaltningsloven § 16' });
  }
}

export class AnswerPeriodNotEnded extends DomainError {
  readonly code = 'ANSWER_PERIOD_NOT_ENDED';
  readonly kind = 'conflict';
  constructor(noticeId: string, answerBy: string, waitingFor: string[]) {
    super(
      `The parties have until ${answerBy} to answer advance notice ${noticeId}; still waiting for ${waitingFor.join(', ')} (forvaltningsloven § 16 first paragraph).`,
      { noticeId, answerBy, waitingFor, provision: 'forvaltningsloven § 16 (1)' },
    );
  }
}

export class AdvanceNoticeNotFound extends DomainError {
  readonly code = 'ADVANCE_NOTICE_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(noticeId: string) {
    super(`No advance notice ${noticeId} in this family.`, { noticeId });
  }
}
