import type { Pool } from 'pg';
import type { RenderedCopy } from './letter-documents';

export type LetterFormat = 'pdf' | 'html';

export interface StoredCopy {
  letterId: string;
  familyId: string;
  recipientMemberId: string;
  format: LetterFormat;
  language: string;
  templateVersion: string;
  sha256: string;
  bytes: Buffer;
}

/**
 * documents.letter_copies: the bytes each recipient got. A copy stored twice (a retried issue)
 * must be the same bytes; ON CONFLICT keeps the first, and the caller compares hashes.
 */
export async function storeLetterCopies(pool: Pool, familyId: string, copies: RenderedCopy[], storedAt: Date): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const c of copies) {
      for (const [format, bytes, sha] of [
        ['pdf', c.pdf, c.pdfSha256],
        ['html', c.html, c.htmlSha256],
      ] as const) {
        await client.query(
          `INSERT INTO documents.letter_copies (letter_id, family_id, recipient_member_id, format, language, template_version, sha256, bytes, stored_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (letter_id, recipient_member_id, format) DO NOTHING`,
          [c.copy.letterId, familyId, c.copy.recipientMemberId, format, c.copy.language, c.copy.templateVersion, sha, bytes, storedAt],
        );
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function loadLetterCopy(
  pool: Pool,
  familyId: string,
  letterId: string,
  recipientMemberId: string,
  format: LetterFormat,
): Promise<StoredCopy | null> {
  const { rows } = await pool.query(
    `SELECT letter_id, family_id, recipient_member_id, format, language, template_version, sha256, bytes
       FROM documents.letter_copies WHERE family_id = $1 AND letter_id = $2 AND recipient_member_id = $3 AND format = $4`,
    [familyId, letterId, recipientMemberId, format],
  );
  const r = rows[0];
  return r
    ? {
        letterId: r.letter_id,
        familyId: r.family_id,
        recipientMemberId: r.recipient_member_id,
        format: r.format,
        language: r.language,
        templateVersion: r.template_version,
        sha256: r.sha256,
        bytes: r.bytes,
      }
    : null;
}

/** Every stored copy of a family's letter (CLI, tests). */
export async function countLetterCopies(pool: Pool, familyId: string): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM documents.letter_copies WHERE family_id = $1`, [familyId]);
  return rows[0].n as number;
}
