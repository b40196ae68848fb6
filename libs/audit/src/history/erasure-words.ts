import { isErasedMarker, type ErasedMarker } from '@familievedtak/domain';
import type { JsonObject, JsonValue, RecordedEvent } from '@familievedtak/event-store';
import { humanDate } from '../subject-access/subject-access.text';

/**
 * How an erased field reads for people (docs/design/retention-and-erasure.md §4): "erased on
 * <date> under <rule>", in the reader's language. The rule is the schedule rule's id; an erasure
 * on request has none and names its provision (GDPR art. 17(1)) instead.
 */
export type ErasureLanguage = 'nb' | 'nn' | 'en';

export function erasedWords(marker: ErasedMarker, lang: ErasureLanguage): string {
  const { on, rule, provision } = marker.erased;
  // Month names are the same in bokmål and nynorsk.
  const day = humanDate(on, lang === 'en' ? 'en' : 'nb');
  const under = rule ?? provision ?? '';
  const why = `${under}${rule && provision ? ` (${provision})` : ''}`;
  if (lang === 'en') return `erased on ${day}${why ? ` under ${why}` : ''}`;
  return `${lang === 'nn' ? 'sletta' : 'slettet'} ${day}${why ? ` etter ${why}` : ''}`;
}

/** A value as shown on a page: the words for a marker, the value otherwise. */
export function shownValue<T>(value: T | ErasedMarker, lang: ErasureLanguage): T | string {
  return isErasedMarker(value) ? erasedWords(value, lang) : value;
}

/** One erased field of an event, as the history and subject access show it: where it was, and the marker. */
export type ErasedField = { path: string } & ErasedMarker;

/** The `$erased` notes the personal-data decorator put on a decoded event (design §4), as markers by path. */
export function erasedFieldsOf(event: Pick<RecordedEvent, 'data'>): ErasedField[] {
  const notes = (event.data as { $erased?: unknown }).$erased;
  if (!Array.isArray(notes)) return [];
  return notes.flatMap((note) => {
    const n = note as { path?: unknown; on?: unknown; rule?: unknown; provision?: unknown } | null;
    if (!n || typeof n.path !== 'string' || typeof n.on !== 'string') return [];
    return [
      { path: n.path, erased: { on: n.on, rule: typeof n.rule === 'string' ? n.rule : null, provision: typeof n.provision === 'string' ? n.provision : null } },
    ];
  });
}

/**
 * The event's data as shown to a reader: each erased field's value (its placeholder) replaced by
 * its marker, and the notes themselves left out.
 */
export function dataWithMarkers(event: Pick<RecordedEvent, 'data'>): JsonObject {
  const { $erased: _notes, ...data } = event.data as JsonObject & { $erased?: JsonValue };
  let shown: JsonValue = data;
  for (const field of erasedFieldsOf(event)) shown = withValueAt(shown, field.path.split('.'), { erased: field.erased });
  return shown as JsonObject;
}

function withValueAt(value: JsonValue, path: string[], replacement: JsonValue): JsonValue {
  if (path.length === 0) return replacement;
  if (value === null || typeof value !== 'object') return value;
  const [segment, ...rest] = path;
  if (Array.isArray(value)) {
    const i = Number(segment);
    if (!Number.isInteger(i) || i < 0 || i >= value.length) return value;
    return value.map((item, j) => (j === i ? withValueAt(item, rest, replacement) : item));
  }
  if (!Object.prototype.hasOwnProperty.call(value, segment)) return value;
  return { ...value, [segment]: withValueAt(value[segment], rest, replacement) };
}

/** Members whose name was erased, by member id: from the notes of every event (an identity key's name field). */
export function erasedNamesOf(events: ReadonlyArray<Pick<RecordedEvent, 'data'>>): Map<string, ErasedMarker> {
  const names = new Map<string, ErasedMarker>();
  for (const event of events) {
    const notes = (event.data as { $erased?: unknown }).$erased;
    if (!Array.isArray(notes)) continue;
    for (const note of notes as Array<{ keyRef?: unknown; path?: unknown }>) {
      if (typeof note?.keyRef !== 'string' || !note.keyRef.startsWith('identity/') || typeof note.path !== 'string' || !/(^|\.)name$/.test(note.path)) continue;
      const memberId = note.keyRef.slice('identity/'.length);
      const field = erasedFieldsOf({ data: { $erased: [note] } as unknown as JsonObject })[0];
      if (field && !names.has(memberId)) names.set(memberId, { erased: field.erased });
    }
  }
  return names;
}
