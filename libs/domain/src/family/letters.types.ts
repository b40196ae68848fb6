import type { ActorRef } from '../shared/actor';
import type { DomainCommand, DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { Stamp } from '../shared/stamp';
import type { Unit } from '../shared/units';
import type { NotificationChannel } from './appeals.types';

/**
 * The family letter on the record (issue 14): one letter, one copy per adult recipient, each
 * copy holding only what that person may see (letters.decide.ts). The domain keeps what was
 * sent (recipients, decisions per copy, template version, language, the SHA-256 of each
 * rendered copy); the bytes are rendered and stored outside the domain.
 */

export const LETTER_LANGUAGES = ['nb', 'nn', 'en'] as const;
export type LetterLanguageCode = (typeof LETTER_LANGUAGES)[number];

/** Why a decision is in a recipient's copy: about them, about a child they hold parental responsibility for, or another adult's consent. */
export type LetterPartBasis = 'self' | 'child' | 'consent';

export type LetterCopyInput = { recipientMemberId: string; sha256: string; language: LetterLanguageCode };

export type IssueLetter = DomainCommand<
  'IssueLetter',
  {
    letterId?: string;
    decisionIds: string[];
    /** A language asked for (English on request); else each recipient's own choice. */
    language?: LetterLanguageCode | null;
    copies: LetterCopyInput[];
    templateVersion: string;
  }
>;

export type RecordLetterDelivered = DomainCommand<
  'RecordLetterDelivered',
  { letterId: string; recipientMemberId: string; channel: NotificationChannel; deliveredOn: LocalDate }
>;

export type LetterCommand = IssueLetter | RecordLetterDelivered;

/** A copy as issued: who, in which language, the hash of the rendered bytes, and the decisions it holds. */
export type LetterCopyRecord = LetterCopyInput & { decisionIds: string[] };

export type LetterIssued = DomainEvent<
  'LetterIssued',
  Stamp & {
    letterId: string;
    decisionIds: string[];
    templateVersion: string;
    language: LetterLanguageCode | null;
    issuedOn: LocalDate;
    issuingUnit: Unit;
    copies: LetterCopyRecord[];
  }
>;

/** The copy reached the recipient; the notifications it carries are NotificationSent/Received in the same append. */
export type LetterDelivered = DomainEvent<
  'LetterDelivered',
  Stamp & { letterId: string; recipientMemberId: string; channel: NotificationChannel; deliveredOn: LocalDate; notificationIds: string[] }
>;

export type LetterEvent = LetterIssued | LetterDelivered;

export type LetterCopyState = LetterCopyRecord & {
  delivery: { channel: NotificationChannel; deliveredOn: LocalDate; notificationIds: string[]; recordedAt: string; recordedBy: ActorRef } | null;
};

export type Letter = {
  letterId: string;
  decisionIds: string[];
  templateVersion: string;
  language: LetterLanguageCode | null;
  issuedOn: LocalDate;
  issuingUnit: Unit;
  copies: LetterCopyState[];
  issuedAt: string;
  issuedBy: ActorRef;
};
