import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: caseworkers find a family by a member's name (partial, case and accent folded),
 * birth date or national id. No column and no change to the projection: an immutable function
 * of the header's `core` gives the family's search keys, and a GIN index on it answers
 * `read_models.family_view_search_keys(core) @> ARRAY[...]` (see
 * family-search/search-keys.ts, which folds a query the same way; the letters below are a copy
 * of its FOLD_FROM/FOLD_TO, frozen here so a later change there cannot change this migration).
 * Built-in functions only (no unaccent or pg_trgm extension to install), and no locale:
 * translate() instead of lower(), an explicit separator class instead of [[:space:]].
 * The index holds every member, protected addresses included; who may find whom is decided
 * per row in the API (familyReadAccess and masking), like the family list.
 */
const FOLD_FROM =
  'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆČçćčĎĐďđÈÉÊËĒĖĘĚèéêëēėęěÌÍÎÏĪĮìíîïīįŁłÑŃŇñńňÒÓÔÕÖŌŐØòóôõöōőøŔŘŕřŚŠŞśšşŤŢťţÙÚÛÜŪŮŰŲùúûüūůűųÝŸýÿŹŻŽźżžABCDEFGHIJKLMNOPQRSTUVWXYZ\u00a0';
const FOLD_TO =
  'aaaaaaaaaaaaaaaaaaccccccddddeeeeeeeeeeeeeeeeiiiiiiiiiiiillnnnnnnoooooooooooooooorrrrssssssttttuuuuuuuuuuuuuuuuyyyyzzzzzzabcdefghijklmnopqrstuvwxyz ';
export const FAMILY_VIEW_SEARCH_FOLD = { from: FOLD_FROM, to: FOLD_TO };

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export class FamilyViewSearch1764979200000 implements MigrationInterface {
  name = 'FamilyViewSearch1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION read_models.search_fold(t text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $fn$ SELECT translate(replace(replace(replace(t, 'Æ', 'ae'), 'æ', 'ae'), 'ß', 'ss'), ${literal(FOLD_FROM)}, ${literal(FOLD_TO)}) $fn$`);
    await q.query(String.raw`
      CREATE FUNCTION read_models.family_view_search_keys(core jsonb) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $fn$
          WITH m AS (
            SELECT member FROM jsonb_each(CASE WHEN jsonb_typeof(core->'members') = 'object' THEN core->'members' ELSE '{}'::jsonb END) e(id, member)
             WHERE jsonb_typeof(member) = 'object')
          SELECT coalesce(array_agg(DISTINCT k), '{}'::text[]) FROM (
            SELECT 'n:' || left(w, n) AS k
              FROM m
              CROSS JOIN LATERAL regexp_split_to_table(read_models.search_fold(coalesce(m.member->>'name', '')), '[ \t\n\r,.''’"()/-]+') w
              CROSS JOIN LATERAL generate_series(1, least(length(w), 40)) n
             WHERE w <> ''
            UNION ALL
            SELECT 'b:' || (m.member->>'birthDate') FROM m WHERE m.member->>'birthDate' IS NOT NULL
            UNION ALL
            SELECT 'i:' || (m.member->>'nationalId') FROM m WHERE m.member->>'nationalId' IS NOT NULL
          ) keys
        $fn$`);
    await q.query(`CREATE INDEX family_view_search_keys_idx ON read_models.family_view USING gin (read_models.family_view_search_keys(core))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX read_models.family_view_search_keys_idx`);
    await q.query(`DROP FUNCTION read_models.family_view_search_keys(jsonb)`);
    await q.query(`DROP FUNCTION read_models.search_fold(text)`);
  }
}
