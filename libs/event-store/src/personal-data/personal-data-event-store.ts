import { PollingSubscription, type CatchUpSource } from '../catch-up-subscription';
import { InvalidAppendError } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  JsonObject,
  JsonValue,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
  SubscriptionMessage,
} from '../event-store.port';
import { WakeSignal } from '../wake-signal';
import { decryptField, encryptField, fieldAad, isSealedField } from './field-cipher';
import { pathText, valueAt, withValueAt } from './json-path';
import type { KeySpec, KeyState, KeyStore } from './key-store';
import { PersonalDataErasedError, PersonalDataIntegrityError } from './personal-data.errors';
import type { PersonalDataPolicy, PersonalFieldSpec } from './personal-data.policy';

/** Where an erased field was, whose key it was and the key's tombstone: `data.$erased` of a decoded event (design §4). */
export type ErasedFieldNote = { path: string; keyRef: string; category: string; on: string; rule: string | null; provision: string | null };

export const ERASED_NOTES_KEY = '$erased';

export interface PersonalDataEventStoreOptions {
  keyStore: KeyStore;
  policy: PersonalDataPolicy;
  /** How often an idle subscription looks for other processes' appends (the adapters' default: 100 ms). */
  pollIntervalMs?: number;
}

/**
 * Events on their way to one stream: the personal fields found, and the keys they need by the
 * stream whose key row holds them (the append's own stream, or a family's for a budget stream).
 */
type SealPlan = { streamId: string; events: EventData[]; fields: PersonalFieldSpec[][]; keys: Map<string, Map<string, KeySpec>> };
/** Key states by key stream, then key ref. */
type KeyStates = Map<string, Map<string, KeyState>>;
/** A sealed field found in a stored event; `keyStreamId`: the stream whose key row holds its key (`$pd.s`, else the event's). */
type Found = { path: Array<string | number>; keyRef: string; sealed: string; keyStreamId: string };

/**
 * Crypto-shredding on the EventStore port (docs/design/retention-and-erasure.md §§ 2-4), over
 * either adapter. On the way in, the catalogued fields of a family event are replaced by
 * `{"$pd": {"k": keyRef, "c": …}}` before the adapter hashes them, so the hash chain covers the
 * ciphertext and shredding a key never breaks `verify`. On the way out they are decrypted; a field
 * whose key is erased reads as its placeholder, and the event's data gets `$erased` notes from the
 * tombstone. Plaintext written before encryption reads as it is. Everything above the port sees
 * plaintext or erasure notes, never a `$pd` object; `raw` is the inner store (verify, benchmarks).
 *
 * Round trips: an append needs at most one to the key store (none when its events carry no
 * personal field or every key is cached); a read or a subscription page needs one when a stream's
 * keys are not all cached (all keys of the page's missing streams in one query), and one more for
 * single keys of other streams' rows (a budget stream's spends under their families' payment keys:
 * `$pd.s` names the key row's stream).
 */
export class PersonalDataEventStore implements EventStore {
  readonly kind: EventStore['kind'];
  readonly appendToStreams?: (appends: StreamAppend[]) => Promise<AppendResult[]>;
  private readonly wake = new WakeSignal();

  constructor(
    private readonly inner: EventStore,
    private readonly options: PersonalDataEventStoreOptions,
  ) {
    this.kind = inner.kind;
    if (inner.appendToStreams) this.appendToStreams = (appends) => this.appendMany(appends);
  }

  /** The store below: ciphertext as stored (hash-chain verification, raw baselines). */
  get raw(): EventStore {
    return this.inner;
  }

  get keyStore(): KeyStore {
    return this.options.keyStore;
  }

  async appendToStream(streamId: string, events: EventData[], options?: AppendOptions): Promise<AppendResult> {
    let stored = events;
    if (this.options.policy.appliesTo(streamId)) {
      const plan = this.plan(streamId, events);
      stored = this.seal(plan, await this.keysFor([plan]));
    }
    const result = await this.inner.appendToStream(streamId, stored, options);
    this.wake.notify();
    return result;
  }

  private async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    const plans = appends.map((a) => (this.options.policy.appliesTo(a.streamId) ? this.plan(a.streamId, a.events) : undefined));
    const keys = await this.keysFor(plans.filter((p): p is SealPlan => p !== undefined));
    const sealed = appends.map((a, i) => {
      const plan = plans[i];
      return plan ? { ...a, events: this.seal(plan, keys) } : a;
    });
    const results = await this.inner.appendToStreams!(sealed);
    this.wake.notify();
    return results;
  }

  /**
   * The keys some appends need, created where missing, in one round trip (none when all are
   * cached or none is needed). A key two appends share (a spend and its family payment in one
   * transaction) is asked once, with the members both name.
   */
  private async keysFor(plans: readonly SealPlan[]): Promise<KeyStates> {
    const wanted = new Map<string, Map<string, KeySpec>>();
    for (const plan of plans) {
      for (const [keyStreamId, specs] of plan.keys) {
        const ofStream = wanted.get(keyStreamId) ?? new Map<string, KeySpec>();
        wanted.set(keyStreamId, ofStream);
        for (const spec of specs.values()) ofStream.set(spec.keyRef, withSubjects(ofStream.get(spec.keyRef), spec));
      }
    }
    if (wanted.size === 0) return new Map();
    return this.options.keyStore.keysForStreams([...wanted].map(([streamId, specs]) => ({ streamId, specs: [...specs.values()] })));
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.open(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.open(await this.inner.readAll(options));
  }

  /**
   * Over the inner store's pages when it offers them (both adapters do): each page is decoded
   * with one key query for its streams, then delivered event by event as the adapters do.
   */
  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const source = this.inner as Partial<CatchUpSource>;
    if (typeof source.readPage === 'function') {
      const readPage = source.readPage.bind(this.inner);
      const decoding: CatchUpSource = {
        readPage: async (after: bigint, maxCount: number, filter: EventFilter | undefined) => {
          const page = await readPage(after, maxCount, filter);
          return { ...page, events: await this.open(page.events) };
        },
      };
      return new PollingSubscription(decoding, {
        fromPosition: options.fromPosition ?? 0n,
        filter: options.filter,
        batchSize: options.batchSize ?? 500,
        pollIntervalMs: this.options.pollIntervalMs ?? 100,
        wake: this.wake,
      });
    }
    const inner = this.inner.subscribeToAll(options);
    const open = (events: RecordedEvent[]) => this.open(events);
    return {
      close: () => inner.close(),
      async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
        for await (const message of inner) {
          yield message.kind === 'event' ? { kind: 'event', event: (await open([message.event]))[0] } : message;
        }
      },
    };
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  countAfter(position: bigint, filter?: EventFilter): Promise<number> {
    return this.inner.countAfter(position, filter);
  }

  async close(): Promise<void> {
    this.options.keyStore.close();
    await this.inner.close();
  }

  // ---------------------------------------------------------------- the way in

  private plan(streamId: string, events: EventData[]): SealPlan {
    const fields: PersonalFieldSpec[][] = [];
    const keys = new Map<string, Map<string, KeySpec>>();
    for (const event of events) {
      refuseReservedKeys(event);
      const found = this.options.policy.fieldsOf(event.type, event.data, streamId);
      fields.push(found);
      for (const field of found) {
        const keyStreamId = field.keyStreamId ?? streamId;
        const ofStream = keys.get(keyStreamId) ?? new Map<string, KeySpec>();
        keys.set(keyStreamId, ofStream);
        ofStream.set(field.keyRef, withSubjects(ofStream.get(field.keyRef), { keyRef: field.keyRef, category: field.category, subjects: field.subjects }));
      }
    }
    return { streamId, events, fields, keys };
  }

  private seal(plan: SealPlan, keys: KeyStates): EventData[] {
    const erased = [...plan.keys].flatMap(([keyStreamId, specs]) =>
      [...specs.keys()].filter((keyRef) => keys.get(keyStreamId)?.get(keyRef)?.status === 'erased'),
    );
    if (erased.length > 0) throw new PersonalDataErasedError(plan.streamId, erased);
    return plan.events.map((event, i) => {
      const fields = plan.fields[i];
      if (fields.length === 0) return event;
      let data = event.data;
      for (const field of fields) {
        const keyStreamId = field.keyStreamId ?? plan.streamId;
        // Named in the ciphertext's place only when it is another stream's key row (older fields never name one).
        const other = keyStreamId === plan.streamId ? undefined : keyStreamId;
        const state = keys.get(keyStreamId)?.get(field.keyRef);
        if (state?.status !== 'live') {
          throw new PersonalDataIntegrityError(
            plan.streamId,
            field.keyRef,
            state?.status === 'unreadable' ? state.detail : 'no key',
            event.id,
            pathText(field.path),
          );
        }
        const value = valueAt(event.data, field.path) as JsonValue;
        const aad = fieldAad(plan.streamId, event.id, pathText(field.path), field.keyRef, other);
        data = withValueAt(data, field.path, encryptField(state.key, field.keyRef, value, aad, other));
      }
      return { ...event, data };
    });
  }

  // ---------------------------------------------------------------- the way out

  /** Decodes a page of events: one key query for the streams whose keys are not all cached. */
  private async open(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const { policy, keyStore } = this.options;
    const relevant = events.filter((e) => policy.appliesTo(e.streamId));
    if (relevant.length === 0) return events;
    // An erasure event in the page: its keys are gone, whatever a cache still holds (design §5).
    for (const event of relevant) {
      const erased = policy.keyRefsErasedBy(event.type, event.data);
      if (erased.length > 0) keyStore.honourErasure(event.id, event.streamId, erased);
    }
    const found = new Map<RecordedEvent, Found[]>();
    const states: KeyStates = new Map();
    const missingStreams = new Set<string>();
    // Keys of other streams' rows (a budget stream's spends under their families' payment keys): fetched one by one, not whole families.
    const missingRefs = new Map<string, { streamId: string; keyRef: string }>();
    for (const event of relevant) {
      const sealed = sealedFieldsOf(event.data, event.streamId);
      if (sealed.length === 0) continue;
      found.set(event, sealed);
      for (const field of sealed) {
        const ofStream = states.get(field.keyStreamId) ?? new Map<string, KeyState>();
        states.set(field.keyStreamId, ofStream);
        if (ofStream.has(field.keyRef)) continue;
        const cached = keyStore.cached(field.keyStreamId, field.keyRef);
        if (cached) ofStream.set(field.keyRef, cached);
        else if (field.keyStreamId === event.streamId) missingStreams.add(event.streamId);
        else missingRefs.set(`${field.keyStreamId}\u0000${field.keyRef}`, { streamId: field.keyStreamId, keyRef: field.keyRef });
      }
    }
    if (found.size === 0) return events;
    const fetched = await Promise.all([
      missingStreams.size > 0 ? keyStore.keysOfStreams([...missingStreams]) : undefined,
      missingRefs.size > 0 ? keyStore.keysOfRefs([...missingRefs.values()]) : undefined,
    ]);
    for (const byStream of fetched) {
      for (const [streamId, keys] of byStream ?? []) {
        const ofStream = states.get(streamId) ?? new Map<string, KeyState>();
        states.set(streamId, ofStream);
        for (const [keyRef, state] of keys) ofStream.set(keyRef, state);
      }
    }
    return events.map((event) => {
      const sealed = found.get(event);
      return sealed ? this.decode(event, sealed, states) : event;
    });
  }

  private decode(event: RecordedEvent, sealed: Found[], keys: KeyStates): RecordedEvent {
    let data: JsonObject = event.data;
    const notes: ErasedFieldNote[] = [];
    for (const field of sealed) {
      const path = pathText(field.path);
      const state = keys.get(field.keyStreamId)?.get(field.keyRef);
      const other = field.keyStreamId === event.streamId ? undefined : field.keyStreamId;
      let value: JsonValue;
      if (state?.status === 'live') {
        try {
          value = decryptField(state.key, field.sealed, fieldAad(event.streamId, event.id, path, field.keyRef, other));
        } catch {
          throw new PersonalDataIntegrityError(
            event.streamId,
            field.keyRef,
            'the ciphertext does not decrypt under its key at this place (moved from another event or field, or altered)',
            event.id,
            path,
          );
        }
      } else if (state?.status === 'erased') {
        value = this.options.policy.placeholderAt(event.type, field.path, event.streamId);
        const { on, rule, provision } = state.tombstone;
        notes.push({ path, keyRef: field.keyRef, category: state.category, on, rule, provision });
      } else {
        throw new PersonalDataIntegrityError(event.streamId, field.keyRef, state ? state.detail : 'the key store has no such key', event.id, path);
      }
      data = withValueAt(data, field.path, value);
    }
    if (notes.length > 0) data = { ...data, [ERASED_NOTES_KEY]: notes };
    return { ...event, data };
  }
}

/** The store below any personal-data decorator: `verify` hashes what is stored (the ciphertext). */
export function rawStoreOf<S>(store: S): S {
  return (store instanceof PersonalDataEventStore ? rawStoreOf(store.raw) : store) as S;
}

/** The first spec of a key, with the members of another spec of it added (one key row, created once). */
function withSubjects(known: KeySpec | undefined, spec: KeySpec): KeySpec {
  if (!known) return spec;
  const subjects = [...new Set([...known.subjects, ...spec.subjects])];
  return subjects.length === known.subjects.length ? known : { ...known, subjects };
}

/** Every `{"$pd": …}` in a stored event's data, in document order (so notes come out the same on every read). */
function sealedFieldsOf(data: JsonObject, streamId: string): Found[] {
  const found: Found[] = [];
  const walk = (value: JsonValue, path: Array<string | number>): void => {
    if (value === null || typeof value !== 'object') return;
    if (isSealedField(value)) {
      found.push({ path, keyRef: value.$pd.k, sealed: value.$pd.c, keyStreamId: value.$pd.s ?? streamId });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else for (const key of Object.keys(value)) walk(value[key], [...path, key]);
  };
  walk(data, []);
  return found;
}

/** `$pd` anywhere, or `$erased` on top, would read as ciphertext or erasure notes: refused on the way in. */
function refuseReservedKeys(event: EventData): void {
  if (Object.prototype.hasOwnProperty.call(event.data, ERASED_NOTES_KEY)) {
    throw new InvalidAppendError(`Event ${event.id}: "${ERASED_NOTES_KEY}" is reserved for erasure notes`);
  }
  const walk = (value: JsonValue): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(walk);
    for (const key of Object.keys(value)) {
      if (key === '$pd') throw new InvalidAppendError(`Event ${event.id}: "$pd" is reserved for encrypted fields`);
      walk(value[key]);
    }
  };
  walk(event.data);
}
