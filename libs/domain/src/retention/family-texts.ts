import type { FamilyEvent } from '../family/family.events';
import type { JsonObject } from '../shared/json';
import { personalFieldsOf } from '../personal-data/personal-data.catalogue';

/**
 * The family-level case texts (a member-left reason, an involvement's closing reason,
 * parental-responsibility documents and ends): the catalogue keys them per append,
 * `case/family:<at>`, so that no text written after a reopening needs a key erased with an
 * earlier closing. The fold keeps each such key with the members it names (FamilyState.familyTexts),
 * so the retention records list exactly the keys the catalogue made.
 */
export type FamilyText = { keyRef: string; subjects: string[]; writtenAt: string };

/** The event types whose texts the catalogue keys as family texts: only these are looked at while folding. */
const FAMILY_TEXT_EVENTS: ReadonlySet<string> = new Set([
  'FamilyRegistered',
  'MemberLeft',
  'ParentalResponsibilityRecorded',
  'ParentalResponsibilityEnded',
  'InvolvementClosed',
]);
const PREFIX = 'case/family:';

/**
 * The family texts an event (as read, `$erased` notes included) carries, by key ref. An erased
 * optional text reads as null and is found through its erasure note instead, so a refold after
 * erasure lists the same keys.
 */
export function familyTextsOf(event: FamilyEvent): FamilyText[] {
  if (!FAMILY_TEXT_EVENTS.has(event.type)) return [];
  const data = event.data as JsonObject;
  const byKey = new Map<string, Set<string>>();
  const add = (keyRef: string, subjects: readonly string[]) => {
    const known = byKey.get(keyRef) ?? new Set<string>();
    subjects.forEach((s) => known.add(s));
    byKey.set(keyRef, known);
  };
  for (const field of personalFieldsOf(event.type, data)) if (field.keyRef.startsWith(PREFIX)) add(field.keyRef, field.subjects);
  const notes = (data as { $erased?: unknown }).$erased;
  for (const note of Array.isArray(notes) ? notes : []) {
    const keyRef = (note as { keyRef?: unknown } | null)?.keyRef;
    // The subjects of an erased field: as the catalogue names them for its path with any text in it.
    if (typeof keyRef === 'string' && keyRef.startsWith(PREFIX) && !byKey.has(keyRef)) add(keyRef, subjectsAt(event, (note as { path?: unknown }).path));
  }
  return [...byKey].map(([keyRef, subjects]) => ({ keyRef, subjects: [...subjects].sort(), writtenAt: String(data.at) }));
}

function subjectsAt(event: FamilyEvent, path: unknown): string[] {
  if (typeof path !== 'string') return [];
  const segments = path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const filled = withText(event.data as JsonObject, segments);
  return personalFieldsOf(event.type, filled).find((f) => f.path.join('.') === path)?.subjects ?? [];
}

function withText(data: JsonObject, path: Array<string | number>): JsonObject {
  const copy = JSON.parse(JSON.stringify(data)) as JsonObject;
  let node: Record<string | number, unknown> = copy;
  path.forEach((segment, i) => {
    if (i === path.length - 1) node[segment] = '·';
    else if (node[segment] !== null && typeof node[segment] === 'object') node = node[segment] as Record<string | number, unknown>;
  });
  return copy;
}
