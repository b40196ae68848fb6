import type { FamilyState } from '@familievedtak/domain';

/**
 * How a family's FamilyState is stored in the read model, and the one SQL every reader uses to
 * get it back whole.
 *
 * - `read_models.family_view` (the header): the list columns, and in `core` the small part of
 *   the state: every field but the record maps below. `members` stays in `core` because the
 *   subject-access lookup is indexed on `core->'members'` and a household stays small.
 * - `read_models.family_view_record`: one row per record of the maps that grow with the case
 *   (needs, payments, decisions...), keyed (family_id, kind, record_id).
 *
 * So a command rewrites the header and the records it touched, not the whole family.
 */
export const RECORD_KINDS = [
  'team',
  'needs',
  'consents',
  'decisions',
  'appeals',
  'notifications',
  'payments',
  'familyDecisions',
  'parts',
  'referrals',
  'enrolments',
  'parentalResponsibility',
  'familyPlans',
  'letters',
] as const satisfies ReadonlyArray<keyof FamilyState>;

export type RecordKind = (typeof RECORD_KINDS)[number];

/** The header's part of the state. */
export type FamilyCore = Omit<FamilyState, RecordKind>;

export const FAMILY_VIEW_TABLE = 'read_models.family_view';

/** The record table belonging to a header table (a shadow copy has its own pair). */
export const recordTableOf = (headerTable: string) => `${headerTable}_record`;

// Kinds without a record in the table are empty maps, as in initialFamilyState.
const EMPTY_MAPS = JSON.stringify(Object.fromEntries(RECORD_KINDS.map((kind) => [kind, {}])));

/**
 * SQL expression: the whole FamilyState (jsonb) of the header row aliased `alias`, assembled in
 * the server from `core` and the family's record rows (one primary-key range scan).
 */
export function familyStateSql(alias: string, headerTable = FAMILY_VIEW_TABLE): string {
  return `(${alias}.core || '${EMPTY_MAPS}'::jsonb || coalesce((
      SELECT jsonb_object_agg(k.kind, k.records) FROM (
        SELECT r.kind, jsonb_object_agg(r.record_id, r.data) AS records
          FROM ${recordTableOf(headerTable)} r WHERE r.family_id = ${alias}.family_id GROUP BY r.kind) k), '{}'::jsonb))`;
}

/**
 * A query yielding `family_id, revision, state` for the header rows that `headers` selects
 * (a SELECT of whole rows of the header table, with its own WHERE/ORDER/LIMIT and parameters),
 * in family order. The state is assembled outside that query, so only the rows it keeps
 * (after its LIMIT) are assembled.
 */
export function familyStatesSql(headers: string, headerTable = FAMILY_VIEW_TABLE): string {
  return `SELECT h.family_id, h.revision, ${familyStateSql('h', headerTable)} AS state FROM (${headers}) h ORDER BY h.family_id`;
}

/** One family's `revision` and whole `state` ($1 = family id); no row when there is no such family. */
export const FAMILY_STATE_SQL = familyStatesSql(`SELECT * FROM ${FAMILY_VIEW_TABLE} WHERE family_id = $1`);

/**
 * One family's `revision`, and its `state` only when the revision is not $2 (the revision whose
 * state the caller already holds; -1 for none): a reader holding the state reads one small row.
 * CASE evaluates the assembly only for the branch taken.
 */
export const FAMILY_STATE_UNLESS_SQL = `SELECT h.revision, CASE WHEN h.revision = $2 THEN NULL ELSE ${familyStateSql('h')} END AS state
  FROM ${FAMILY_VIEW_TABLE} h WHERE h.family_id = $1`;

/** The families a member belongs to ($1 = member id), served by the GIN index on core->'members'. */
export const MEMBER_FAMILIES_SQL = `SELECT family_id FROM ${FAMILY_VIEW_TABLE} WHERE core->'members' ? $1 ORDER BY family_id`;

/** Splits a state into its header part and its record maps (the maps are the state's own objects). */
export function splitFamilyState(state: FamilyState): { core: FamilyCore; records: Pick<FamilyState, RecordKind> } {
  const core: Record<string, unknown> = { ...state };
  const records: Record<string, unknown> = {};
  for (const kind of RECORD_KINDS) {
    records[kind] = state[kind] ?? {};
    delete core[kind];
  }
  return { core: core as FamilyCore, records: records as Pick<FamilyState, RecordKind> };
}
