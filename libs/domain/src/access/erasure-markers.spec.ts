import type { Actor } from '../shared/actor';
import type { JsonObject, JsonValue } from '../shared/json';
import { actors, by, familyRegistered, navPaymentRecorded, referralAccepted } from '../testing/family.fixtures';
import type { FamilyEvent, NeedExpressed } from '../family/family.events';
import { evolveFamily, foldFamily } from '../family/family.evolve';
import { personalFieldsOf, placeholderFor } from '../personal-data/personal-data.catalogue';
import type { ErasureRequested, PersonalDataErased } from '../retention/erasure.types';
import { ERASURE_REQUESTS_PROVISION, familyReadAccess, readerOf } from './family-read-access';
import { erasedMarkerOf, isErasedMarker, markErasedFields, type ErasedMarker } from './erasure-markers';

/**
 * What readers see after an erasure (docs/design/retention-and-erasure.md §4): the fold learns
 * from the decoded events' `$erased` notes which keys are gone, and readers get markers.
 * `readAsErased` does what PersonalDataEventStore does on read once the keys are shredded: each
 * catalogued field of an erased key reads as its placeholder, and the event gets its notes.
 */
type Tombstone = { on: string; rule: string | null; provision: string | null };

function readAsErased(events: FamilyEvent[], erased: Record<string, Tombstone>): FamilyEvent[] {
  return events.map((event) => {
    const fields = personalFieldsOf(event.type, event.data as unknown as JsonObject).filter((f) => erased[f.keyRef]);
    if (fields.length === 0) return event;
    const data = structuredClone(event.data) as unknown as Record<string, JsonValue>;
    const notes = fields.map((f) => {
      let node = data as Record<string | number, JsonValue>;
      f.path.slice(0, -1).forEach((segment) => (node = node[segment] as Record<string | number, JsonValue>));
      node[f.path[f.path.length - 1]] = placeholderFor(f.kind);
      return { path: f.path.join('.'), keyRef: f.keyRef, category: f.category, ...erased[f.keyRef] };
    });
    return { type: event.type, data: { ...data, $erased: notes } } as unknown as FamilyEvent;
  });
}

const navLeader: Actor = { userId: 'lene.nav', role: 'unit-leader', unit: 'NAV' };
const bftLeader: Actor = { userId: 'berit.bft', role: 'unit-leader', unit: 'BFT' };
const IDENTITY_RULE: Tombstone = { on: '2031-02-03', rule: 'trondheim-retention-2026@v1/identity', provision: 'GDPR art. 5(1)(e), 17(1)(a)' };
const ON_REQUEST: Tombstone = { on: '2031-02-04', rule: null, provision: 'GDPR art. 17(1)' };

const needOfAmina: NeedExpressed = {
  type: 'NeedExpressed',
  data: {
    needId: 'n-amina',
    memberId: 'm-amina',
    words: 'Jeg trenger hjelp med husleia.',
    expressedOn: '2024-02-01',
    recordedBy: { kind: 'unit', unit: 'NAV', userId: 'kari.nav' },
    ...by(actors.navCaseworker, '2024-02-01T09:00:00.000Z'),
  },
};
const requested: ErasureRequested = {
  type: 'ErasureRequested',
  data: {
    requestId: 'req-1',
    memberId: 'm-amina',
    categories: 'all',
    receivedOn: '2031-02-01',
    requestedBy: { kind: 'representative', representative: 'Advokat Ragnhild Sæther' },
    channel: 'in-writing',
    alreadyErased: [],
    ...by(navLeader, '2031-02-01T09:00:00.000Z'),
  },
};
const erasedOnRequest: PersonalDataErased = {
  type: 'PersonalDataErased',
  data: {
    erasureId: 'er-1',
    keyRefs: ['need/n-amina', 'payment/pay-1'],
    subjects: ['m-amina'],
    categories: ['need', 'payment'],
    on: '2031-02-04',
    rule: null,
    requestId: 'req-1',
    ...by(navLeader, '2031-02-04T09:00:00.000Z'),
  },
};
const identityErased: PersonalDataErased = {
  type: 'PersonalDataErased',
  data: {
    erasureId: 'er-2',
    keyRefs: ['identity/m-amina'],
    subjects: ['m-amina'],
    categories: ['identity'],
    on: '2031-02-03',
    rule: { scheduleId: 'trondheim-retention-2026', version: 1, entry: 'identity', provision: IDENTITY_RULE.provision! },
    requestId: null,
    ...by(navLeader, '2031-02-03T09:00:00.000Z'),
  },
};

const history: FamilyEvent[] = [familyRegistered, ...referralAccepted('BFT'), needOfAmina, navPaymentRecorded, requested, identityErased, erasedOnRequest];
const tombstones = { 'identity/m-amina': IDENTITY_RULE, 'need/n-amina': ON_REQUEST, 'payment/pay-1': ON_REQUEST };
/** The history as read once the keys are shredded (the key goes first: every read, before and after the erasure events). */
const decoded = readAsErased(history, tombstones);
const marker = (t: Tombstone): ErasedMarker => ({ erased: { on: t.on, rule: t.rule, provision: t.provision } });

describe('the fold learns of erasures from the events (design §4)', () => {
  it('takes the $erased notes out of the data before folding, so no record carries them', () => {
    expect(decoded.some((e) => '$erased' in e.data)).toBe(true);
    expect(JSON.stringify(foldFamily(decoded))).not.toContain('$erased');
  });

  it('keeps each erased key with its tombstone and the fields seen, by key ref', () => {
    const state = foldFamily(decoded);
    expect(state.erasedKeys?.['identity/m-amina']).toEqual({
      keyRef: 'identity/m-amina',
      category: 'identity',
      ...IDENTITY_RULE,
      // Amina has no national id: a null is never encrypted, so it was never erased either.
      fields: ['FamilyRegistered:members.*.birthDate', 'FamilyRegistered:members.*.name', 'FamilyRegistered:members.*.preferredLanguage'],
    });
    expect(Object.keys(state.erasedKeys ?? {}).sort()).toEqual(['identity/m-amina', 'need/n-amina', 'payment/pay-1']);
    expect(state.erasedKeys?.['payment/pay-1']).toMatchObject({ rule: null, provision: 'GDPR art. 17(1)', fields: ['PaymentRecorded:documentationRef'] });
  });

  it('gives the same state event by event, in one pass and in batches: a live refold and a rebuild agree', () => {
    const oneByOne = decoded.reduce(evolveFamily, foldFamily([]));
    expect(foldFamily(decoded)).toEqual(oneByOne);
    for (const cut of [1, 3, 5]) expect(foldFamily(decoded.slice(cut), foldFamily(decoded.slice(0, cut)))).toEqual(oneByOne);
    // Idempotent: the same notes again change nothing.
    const state = foldFamily(decoded);
    expect(foldFamily([decoded[0]], state).erasedKeys).toEqual(state.erasedKeys);
  });

  it('knows at a cut before PersonalDataErased which records are erased (time travel: the data is gone)', () => {
    const before = foldFamily(decoded.slice(0, history.indexOf(requested)));
    expect(before.erasures).toEqual({});
    expect(erasedMarkerOf(before, 'identity/m-amina')).toEqual(marker(IDENTITY_RULE));
    expect(erasedMarkerOf(before, 'need/n-amina')).toEqual(marker(ON_REQUEST));
    expect(erasedMarkerOf(before, 'identity/m-yusuf')).toBeNull();
  });

  it('leaves the state of an unerased history as it was (no erasedKeys at all)', () => {
    expect('erasedKeys' in foldFamily(history)).toBe(false);
  });
});

describe('markErasedFields: readers get markers, not placeholders', () => {
  const folded = foldFamily(decoded);
  const shown = markErasedFields(folded);

  it('shows each erased field as { erased: { on, rule, provision } }', () => {
    const amina = shown.members['m-amina'] as unknown as Record<string, unknown>;
    expect(amina.name).toEqual(marker(IDENTITY_RULE));
    expect(amina.birthDate).toEqual(marker(IDENTITY_RULE));
    expect(amina.preferredLanguage).toEqual(marker(IDENTITY_RULE));
    expect(shown.needs['n-amina'].words).toEqual(marker(ON_REQUEST));
    expect(shown.payments['pay-1'].documentationRef).toEqual(marker(ON_REQUEST));
    expect(shown.erasureRequests['req-1'].requestedBy).toEqual({ kind: 'representative', representative: 'Advokat Ragnhild Sæther' });
  });

  it('leaves an optional text that was never given null, and other members and records as they are', () => {
    const amina = shown.members['m-amina'] as unknown as Record<string, unknown>;
    expect(amina.nationalId).toBeNull();
    expect(shown.needs['n-amina'].resolution).toBeNull();
    expect(shown.members['m-yusuf']).toBe(folded.members['m-yusuf']);
    expect(shown.referrals).toBe(folded.referrals);
    expect(shown.members['m-yusuf'].name).toBe('Yusuf Hassan');
    expect(isErasedMarker(shown.members['m-yusuf'].birthDate)).toBe(false);
  });

  it('returns a state with nothing erased as it is (no copy)', () => {
    const state = foldFamily(history.slice(0, history.indexOf(requested)));
    expect(markErasedFields(state)).toBe(state);
  });

  it('marks nothing the fold did not see erased: PersonalDataErased over plaintext (a view not yet refolded) stays as it reads', () => {
    const state = foldFamily(history);
    expect(JSON.stringify(markErasedFields(state))).toBe(JSON.stringify(state));
  });

  it('marks the same fields at a cut before the erasure events as after them', () => {
    const before = markErasedFields(foldFamily(decoded.slice(0, history.indexOf(requested))));
    expect(before.members['m-amina']).toEqual(shown.members['m-amina']);
    expect(before.needs['n-amina'].words).toEqual(marker(ON_REQUEST));
  });
});

describe('familyReadAccess: erasures and erasure requests', () => {
  const state = markErasedFields(foldFamily(decoded));
  const granted = (actor: Actor) => {
    const decided = familyReadAccess(state, readerOf(actor), '2031-02-05');
    if (!decided.permit) throw new Error(decided.reason);
    return decided.grant.state;
  };

  it(`erasure requests go to auditors and the leader of the unit that recorded them only (${ERASURE_REQUESTS_PROVISION})`, () => {
    expect(Object.keys(granted(actors.auditor).erasureRequests)).toEqual(['req-1']);
    expect(Object.keys(granted(navLeader).erasureRequests)).toEqual(['req-1']);
    expect(granted(actors.navCaseworker).erasureRequests).toEqual({});
    expect(granted(actors.navApprover).erasureRequests).toEqual({});
    expect(granted(bftLeader).erasureRequests).toEqual({});
    // The representative's name goes with the request: nowhere else in what a caseworker gets.
    expect(JSON.stringify(granted(actors.navCaseworker))).not.toContain('Ragnhild');
  });

  it('gives a reader the erased keys of the records it is shown only (a key ref names its record)', () => {
    const bft = granted(actors.bftCaseworker);
    // BFT has a part but no consent covering NAV's need and payment: it learns nothing of them, erased or not.
    expect(bft.needs).toEqual({});
    expect(Object.keys(bft.erasedKeys ?? {})).toEqual(['identity/m-amina']);
    expect(Object.keys(bft.erasures)).toEqual(['identity/m-amina']);
    const nav = granted(actors.navCaseworker);
    expect(Object.keys(nav.erasedKeys ?? {}).sort()).toEqual(['identity/m-amina', 'need/n-amina', 'payment/pay-1']);
    expect(Object.keys(nav.erasures).sort()).toEqual(['identity/m-amina', 'need/n-amina', 'payment/pay-1']);
  });

  it('keeps what access withholds withheld: a name-only reader gets no birth date, erased or not', () => {
    const referred = foldFamily(
      readAsErased(
        [
          familyRegistered,
          {
            type: 'ReferralRecorded',
            data: {
              referralId: 'ref-inn',
              fromUnit: 'NAV',
              toUnit: 'INN',
              memberIds: ['m-amina'],
              reason: 'Introduction programme.',
              ground: 'consent',
              consentIds: [],
              ...by(actors.navCaseworker, '2024-01-09T09:00:00.000Z'),
            },
          } as FamilyEvent,
        ],
        tombstones,
      ),
    );
    const decided = familyReadAccess(markErasedFields(referred), readerOf(actors.innCaseworker), '2031-02-05');
    if (!decided.permit) throw new Error(decided.reason);
    const amina = decided.grant.state.members['m-amina'] as unknown as Record<string, unknown>;
    expect(amina.name).toEqual(marker(IDENTITY_RULE));
    expect(amina.birthDate).toBeNull();
  });
});
