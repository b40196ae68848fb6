import type { Letter, LetterEvent } from './letters.types';

/** Folds the letter events into the letters map (pure: a new map, the other letters shared). */
export function evolveLetters(letters: Record<string, Letter>, event: LetterEvent): Record<string, Letter> {
  const { at, by } = event.data;
  switch (event.type) {
    case 'LetterIssued': {
      const { at: _at, by: _by, copies, ...issued } = event.data;
      const letter: Letter = { ...issued, copies: copies.map((c) => ({ ...c, delivery: null })), issuedAt: at, issuedBy: by };
      return { ...letters, [letter.letterId]: letter };
    }
    case 'LetterDelivered': {
      const { letterId, recipientMemberId, channel, deliveredOn, notificationIds } = event.data;
      const letter = letters[letterId];
      const copies = letter.copies.map((c) =>
        c.recipientMemberId === recipientMemberId ? { ...c, delivery: { channel, deliveredOn, notificationIds, recordedAt: at, recordedBy: by } } : c,
      );
      return { ...letters, [letterId]: { ...letter, copies } };
    }
  }
}
