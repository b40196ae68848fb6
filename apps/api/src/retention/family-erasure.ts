import type { FamilyState } from '@familievedtak/domain';
import type { KeyStore, ShredOptions } from '@familievedtak/event-store';
import type { Pool } from 'pg';

/** What shredding needs per key: the rule it goes under (null on request) and its provision. */
export type KeyToShred = { keyRef: string; rule: string | null; provision: string | null };

/**
 * Shreds a family's keys (design § 5: the key goes first, the PersonalDataErased event follows),
 * one call per rule so each tombstone names its own. Idempotent: an erased key keeps its first tombstone.
 */
export async function shredFamilyKeys(
  keys: KeyStore,
  streamId: string,
  toShred: readonly KeyToShred[],
  options: Omit<ShredOptions, 'rule' | 'provision'>,
): Promise<string[]> {
  const byRule = new Map<string, KeyToShred[]>();
  for (const key of toShred) {
    const group = `${key.rule ?? ''}\u0000${key.provision ?? ''}`;
    byRule.set(group, [...(byRule.get(group) ?? []), key]);
  }
  const erased: string[] = [];
  for (const group of byRule.values()) {
    const result = await keys.shred(
      streamId,
      group.map((k) => k.keyRef),
      { ...options, rule: group[0].rule, provision: group[0].provision },
    );
    erased.push(...result.erased);
  }
  return erased.sort();
}

/** The letter ids whose `letter/<id>` key the family state records as erased. */
export function erasedLetterIds(state: FamilyState): string[] {
  return Object.keys(state.erasures ?? {})
    .filter((keyRef) => keyRef.startsWith('letter/'))
    .map((keyRef) => keyRef.slice('letter/'.length))
    .sort();
}

/**
 * The rendered copies of letters whose key is shredded go too (design § 5): the copies are the
 * letter's text outside the log. documents.letter_copies refuses UPDATE, not DELETE. The
 * LetterIssued event keeps the SHA-256 of what was sent.
 */
export async function deleteLetterCopies(pool: Pool, familyId: string, letterIds: readonly string[]): Promise<number> {
  if (letterIds.length === 0) return 0;
  const { rowCount } = await pool.query(`DELETE FROM documents.letter_copies WHERE family_id = $1 AND letter_id = ANY ($2::text[])`, [
    familyId,
    [...letterIds],
  ]);
  return rowCount ?? 0;
}

/** How many copies a deletion would remove (dry run). */
export async function countLetterCopiesOf(pool: Pool, familyId: string, letterIds: readonly string[]): Promise<number> {
  if (letterIds.length === 0) return 0;
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM documents.letter_copies WHERE family_id = $1 AND letter_id = ANY ($2::text[])`,
    [familyId, [...letterIds]],
  );
  return rows[0].n;
}
