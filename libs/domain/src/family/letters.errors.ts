import { DomainError } from '../shared/domain-error';

/** Refusals of the family letter's commands (issue 14). */

export class LetterNotFound extends DomainError {
  readonly code = 'LETTER_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(letterId: string) {
    super(`No letter ${letterId} in this family.`, { letterId });
  }
}

/** The copies must go to exactly the adults the letter's decisions concern (fvl § 27; confidentiality, fvl § 13). */
export class LetterRecipientsMismatch extends DomainError {
  readonly code = 'LETTER_RECIPIENTS_MISMATCH';
  readonly kind = 'invalid';
  constructor(expected: string[], given: string[]) {
    super(
      `The letter's copies must go to exactly the adults its decisions concern: expected ${expected.join(', ') || 'none'}, got ${given.join(', ') || 'none'}.`,
      { expected: [...expected], given: [...given], provision: 'forvaltningsloven §§ 13, 27' },
    );
  }
}

/** fvl § 27 (1): the unit that decided notifies; a unit with no decision in the letter does not send it. */
export class LetterNotOfUnit extends DomainError {
  readonly code = 'LETTER_NOT_OF_UNIT';
  readonly kind = 'forbidden';
  constructor(unit: string, action: string) {
    super(
      `${unit} may not ${action}: none of the letter's decisions is ${unit}'s, and ${unit} is not responsible for a family decision in force that holds them.`,
      {
        unit: String(unit),
        provision: 'forvaltningsloven § 27 første ledd',
      },
    );
  }
}

export class LetterAlreadyDelivered extends DomainError {
  readonly code = 'LETTER_ALREADY_DELIVERED';
  readonly kind = 'conflict';
  constructor(letterId: string, recipientMemberId: string, deliveredOn: string) {
    super(`Letter ${letterId} was already recorded as delivered to ${recipientMemberId} on ${deliveredOn}.`, { letterId, recipientMemberId, deliveredOn });
  }
}
