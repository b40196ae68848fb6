import fc from 'fast-check';
import type { Actor } from '../shared/actor';
import type { JsonObject, JsonValue } from '../shared/json';
import { actors, familyContext, familyRegistered, socialAssistanceApproved, socialAssistanceProposed } from '../testing/family.fixtures';
import type { FamilyCommand } from '../family/family.commands';
import { familyDecider } from '../family/family.decider';
import { FAMILY_EVENT_TYPES, type FamilyEvent } from '../family/family.events';
import { foldFamily } from '../family/family.evolve';
import {
  classificationOf,
  fieldKindAt,
  keyRefsErasedBy,
  PERSONAL_DATA_CATALOGUE,
  personalFieldsOf,
  placeholderAt,
  keyRefCategory,
  familyTextKeyRef,
  LEGACY_FAMILY_TEXT_KEY_REF,
  parseKeyRef,
  type PersonalField,
} from './personal-data.catalogue';
import { FAMILY_RECORD_CATEGORIES } from '../retention/retention-schedule';
import { everyEventShape, matchesPattern, READABLE_FREE_TEXT } from './testing/every-event-shape';

/**
 * The catalogue against the event types. Two histories carry distinctive tokens wherever the
 * family's data goes in:
 * - a generated sample of every event type (and every shape of its unions), written from the
 *   types: each `string` field that is not an id, a date, a code or a law reference holds a
 *   token (fast-check draws its text);
 * - a history decided through the family decider from commands with tokens in the names,
 *   language, national id and texts, so that text the domain copies or composes (a notice's
 *   language from the member's, a standing note from a stated legal interest) is followed too.
 * A string leaf the catalogue does not classify must hold no token, unless it is on the short list
 * of free text that is deliberately readable (staff, partner organisations, the district).
 */

const MARK = 'Ʃ';

type Leaf = { path: Array<string | number>; value: string };
function stringLeaves(value: JsonValue, path: Array<string | number> = []): Leaf[] {
  if (typeof value === 'string') return [{ path, value }];
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
}
const same = (a: Array<string | number>, b: Array<string | number>) => a.length === b.length && a.every((s, i) => s === b[i]);

/** String leaves of an event that the catalogue leaves readable and that are not on the readable list. */
function unclassifiedLeaves(event: FamilyEvent): Leaf[] {
  const fields = personalFieldsOf(event.type, event.data as JsonObject);
  const readable = Object.keys(READABLE_FREE_TEXT[event.type] ?? {});
  return stringLeaves(event.data as JsonObject).filter(
    (leaf) => !fields.some((f) => same(f.path, leaf.path)) && !readable.some((p) => matchesPattern(p, leaf.path)),
  );
}

/** A sample with plain tokens, for the example-based tests. */
function sample(): FamilyEvent[] {
  let n = 0;
  return everyEventShape(() => `${MARK}${++n}`);
}

describe('the personal-data catalogue', () => {
  it('classifies every family event type: fields, or explicitly none with the reason', () => {
    expect(Object.keys(PERSONAL_DATA_CATALOGUE).sort()).toEqual([...FAMILY_EVENT_TYPES].sort());
    for (const type of FAMILY_EVENT_TYPES) {
      const entry = classificationOf(type)!;
      if ('fields' in entry) expect(entry.fields.length).toBeGreaterThan(0);
      else expect(entry.none.length).toBeGreaterThan(5);
    }
    expect(classificationOf('SomethingElse')).toBeUndefined();
    expect(personalFieldsOf('SomethingElse', { words: 'x' })).toEqual([]);
  });

  it('the sample holds every event type, and every field rule finds its field in it (no pattern names a path that does not exist)', () => {
    const events = sample();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(FAMILY_EVENT_TYPES));
    for (const [type, entry] of Object.entries(PERSONAL_DATA_CATALOGUE)) {
      if (!('fields' in entry)) continue;
      for (const rule of entry.fields) {
        const found = events
          .filter((e) => e.type === type)
          .some((e) => personalFieldsOf(type, e.data as JsonObject).some((f) => matchesPattern(rule.path, f.path)));
        expect({ type, path: rule.path, found }).toEqual({ type, path: rule.path, found: true });
      }
    }
  });

  it('every key ref is computed from the event: a known prefix and a record id, its category the one the ref names', () => {
    for (const event of sample()) {
      for (const field of personalFieldsOf(event.type, event.data as JsonObject)) {
        expect(field.keyRef).toMatch(/^(identity|need|consent|decision|appeal|payment|case)\/[^/]+$/);
        expect(field.keyRef.endsWith('/')).toBe(false);
        expect(keyRefCategory(field.keyRef)).toBe(field.category);
        expect(FAMILY_RECORD_CATEGORIES).toContain(field.category);
        for (const subject of field.subjects) expect(subject).toMatch(/^m-/);
      }
    }
  });

  it('names concrete paths, kinds, key refs and subjects (registration, a decision with child views, an appeal, a plan)', () => {
    const events = sample();
    const fieldsOf = (type: string, index = 0) => personalFieldsOf(type, events.filter((e) => e.type === type)[index].data as JsonObject);
    const brief = (fields: PersonalField[]) => fields.map((f) => [f.path.join('.'), f.kind, f.keyRef, f.category, f.subjects]);
    expect(brief(fieldsOf('FamilyRegistered'))).toEqual([
      ['members.0.name', 'text', 'identity/m-a', 'identity', ['m-a']],
      ['members.1.name', 'text', 'identity/m-b', 'identity', ['m-b']],
      ['members.0.birthDate', 'birth-date', 'identity/m-a', 'identity', ['m-a']],
      ['members.1.birthDate', 'birth-date', 'identity/m-b', 'identity', ['m-b']],
      ['members.0.nationalId', 'optional-text', 'identity/m-a', 'identity', ['m-a']],
      ['members.0.preferredLanguage', 'optional-text', 'identity/m-a', 'identity', ['m-a']],
      // null stays null: m-b has no national id or language, the second claim no document. A family text: a key per append, naming the relation.
      ['parentalResponsibility.0.documentRef', 'optional-text', 'case/family:2024-03-01T09:00:00.000Z', 'case', ['m-b', 'm-a']],
    ]);
    expect(brief(fieldsOf('DecisionProposed'))).toEqual([
      ['reasons.facts', 'text', 'decision/d-1', 'decision', ['m-b']],
      ['reasons.mainConsiderations', 'optional-text', 'decision/d-1', 'decision', ['m-b']],
      ['reasons.summary', 'text', 'decision/d-1', 'decision', ['m-b']],
      ['childViews.0.views', 'text', 'decision/d-1', 'decision', ['m-b']],
      ['childViews.0.weight', 'text', 'decision/d-1', 'decision', ['m-b']],
      ['childViews.1.explanation', 'text', 'decision/d-1', 'decision', ['m-b']],
    ]);
    expect(brief(fieldsOf('DecisionProposed', 1))).toEqual([['reasons', 'text', 'decision/d-2', 'decision', ['m-a']]]);
    expect(brief(fieldsOf('AppealRegistered', 1))).toEqual([
      ['grounds', 'text', 'appeal/ap-2', 'decision', ['m-b']],
      ['appellant.representative', 'text', 'appeal/ap-2', 'decision', ['m-b']],
    ]);
    expect(brief(fieldsOf('AppealGrantedByUnit'))).toEqual([
      ['reasons', 'text', 'appeal/ap-1', 'decision', []],
      ['effect.terms.reasons', 'text', 'decision/d-1', 'decision', []],
    ]);
    expect(brief(fieldsOf('ConsentGiven'))).toEqual([
      ['purpose', 'text', 'consent/c-1', 'consent', ['m-b', 'm-a']],
      ['evidence.documentRef', 'text', 'consent/c-1', 'consent', ['m-b', 'm-a']],
    ]);
    expect(brief(fieldsOf('FamilyPlanRevised')).map(([path, , ref]) => [path, ref])).toEqual([
      ['goals.0.words', 'case/pl-1'],
      ['goals.1.words', 'case/pl-1'],
      ['responsibilities.0.for', 'case/pl-1'],
      ['reason', 'case/pl-1'],
    ]);
    expect(fieldsOf('LetterIssued')).toEqual([]);
  });

  it('family-level texts (member left, involvement closed, parental responsibility) get a key per append, case/family:<at>, naming the members they are about', () => {
    const stamp = (at: string) => ({ at, by: { userId: 'kari.nav', role: 'caseworker' as const, unit: 'NAV' as const, partnerOrganisation: null } });
    const keyOf = (type: string, data: JsonObject) => personalFieldsOf(type, data).map((f) => [f.keyRef, f.category, f.subjects]);
    expect(keyOf('MemberLeft', { memberId: 'm-c', leftOn: '2031-02-01', reason: 'Moved.', ...stamp('2031-02-01T09:00:00.000Z') })).toEqual([
      [familyTextKeyRef('2031-02-01T09:00:00.000Z'), 'case', ['m-c']],
    ]);
    expect(keyOf('InvolvementClosed', { unit: 'NAV', reason: 'Done.', contactPersonIds: [], caseClosed: true, ...stamp('2034-05-02T10:00:00.000Z') })).toEqual([
      ['case/family:2034-05-02T10:00:00.000Z', 'case', []],
    ]);
    expect(keyOf('ParentalResponsibilityEnded', { childId: 'm-b', holderId: 'm-a', reason: 'Court.', ...stamp('2031-03-01T09:00:00.000Z') })).toEqual([
      ['case/family:2031-03-01T09:00:00.000Z', 'case', ['m-b', 'm-a']],
    ]);
    // A closing after a reopening never meets the key erased with the first closing, nor the one key older streams used.
    expect(familyTextKeyRef('2034-05-02T10:00:00.000Z')).not.toBe(familyTextKeyRef('2031-02-01T09:00:00.000Z'));
    expect(LEGACY_FAMILY_TEXT_KEY_REF).toBe('case/family');
    expect(parseKeyRef('case/family:2034-05-02T10:00:00.000Z')).toEqual({ prefix: 'case', id: 'family:2034-05-02T10:00:00.000Z', category: 'case' });
    expect(parseKeyRef('appeal/a-1')).toEqual({ prefix: 'appeal', id: 'a-1', category: 'decision' });
  });

  it('an erased field reads as a placeholder of its kind, found from the type and the concrete path alone', () => {
    expect(placeholderAt('FamilyRegistered', ['members', 3, 'name'])).toBe('');
    expect(placeholderAt('FamilyRegistered', ['members', 3, 'birthDate'])).toBe('0001-01-01');
    expect(placeholderAt('MemberJoined', ['member', 'nationalId'])).toBeNull();
    expect(placeholderAt('DecisionProposed', ['reasons'])).toBe('');
    expect(placeholderAt('DecisionProposed', ['reasons', 'mainConsiderations'])).toBeNull();
    expect(placeholderAt('DecisionProposed', ['childViews', 0, 'views'])).toBe('');
    expect(fieldKindAt('DecisionProposed', ['childViews', 'x', 'views'])).toBeUndefined();
    // A path no rule names (declassified since it was written) reads as null.
    expect(placeholderAt('NeedPickedUp', ['unit'])).toBeNull();
  });

  it('key refs name their category; an erasure event names the keys it erased', () => {
    expect(keyRefCategory('identity/m-1')).toBe('identity');
    expect(keyRefCategory('appeal/a-1')).toBe('decision');
    expect(keyRefCategory('letter/l-1')).toBe('letter');
    expect(keyRefCategory('case/family')).toBe('case');
    for (const bad of ['identity', 'identity/', '/x', 'vault/x']) expect(keyRefCategory(bad)).toBeUndefined();
    expect(keyRefsErasedBy('PersonalDataErased', { keyRefs: ['identity/m-1', 'need/n-1'] })).toEqual(['identity/m-1', 'need/n-1']);
    expect(keyRefsErasedBy('NeedExpressed', { keyRefs: ['identity/m-1'] })).toEqual([]);
  });

  it('generated: every event type and shape, any text: no token is left in a string the catalogue does not classify, and every classified field holds one', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 200, maxLength: 200 }), (texts) => {
        let n = 0;
        const events = everyEventShape(() => `${MARK}${n}·${texts[n++ % texts.length]}`);
        for (const event of events) {
          expect({ type: event.type, leaked: unclassifiedLeaves(event).filter((l) => l.value.includes(MARK)) }).toEqual({ type: event.type, leaked: [] });
          const data = event.data as JsonObject;
          for (const field of personalFieldsOf(event.type, data)) {
            const value = stringLeaves(data).find((l) => same(l.path, field.path))?.value;
            expect({ type: event.type, path: field.path, token: value?.includes(MARK) }).toEqual({ type: event.type, path: field.path, token: true });
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('decided through the domain: names, language, national id and texts go only where the catalogue encrypts them (copied and composed text too)', () => {
    const language = 'ti-Qzxwv9';
    const nationalId = '20118599999';
    const secrets = [MARK, 'Qzxwv9', nationalId];
    const members = familyRegistered.data.members.map((m, i) => ({
      ...m,
      name: `${MARK}name-${m.memberId}`,
      preferredLanguage: language,
      nationalId: i === 1 ? nationalId : m.nationalId,
    }));
    const registered: FamilyEvent = { type: 'FamilyRegistered', data: { ...familyRegistered.data, members } };
    const { notifiedOn: _legacy, ...approvedData } = socialAssistanceApproved.data;
    const history: FamilyEvent[] = [registered, socialAssistanceProposed, { type: 'DecisionApproved', data: approvedData }];
    const at = (date: string) => new Date(`${date}T09:00:00.000Z`);
    const steps: Array<[FamilyCommand, Actor, string]> = [
      [
        {
          type: 'SendNotification',
          data: { notificationId: 'nt-1', subject: { kind: 'decision', id: 'd-nav' }, recipientMemberId: 'm-amina', channel: 'post', sentOn: '2024-02-05' },
        },
        actors.navCaseworker,
        '2024-02-05',
      ],
      [
        { type: 'RecordNotificationReceived', data: { notificationId: 'nt-1', receivedOn: '2024-02-07', evidence: 'postal-tracking' } },
        actors.navCaseworker,
        '2024-02-08',
      ],
      [
        {
          type: 'RegisterAppeal',
          data: {
            appealId: 'ap-1',
            decisionId: 'd-nav',
            appellant: { representative: `${MARK}representative`, forMemberId: 'm-leila' },
            receivedOn: '2024-02-20',
            channel: 'post',
            grounds: `${MARK}grounds`,
            signed: true,
          },
        },
        actors.navCaseworker,
        '2024-02-20',
      ],
      [
        {
          type: 'AssessAppealForm',
          data: { appealId: 'ap-1', specific: true, signed: true, legalInterest: `${MARK}legal-interest`, reasons: `${MARK}assessed` },
        },
        actors.navCaseworker,
        '2024-02-21',
      ],
      [
        {
          type: 'SendAdvanceNotice',
          data: {
            noticeId: 'an-1',
            decisionId: 'd-nav',
            intendedAct: 'revoke',
            memberIds: ['m-amina', 'm-yusuf'],
            sentOn: '2024-02-22',
            answerBy: '2024-03-07',
            channel: 'post',
          },
        },
        actors.navCaseworker,
        '2024-02-22',
      ],
      [
        { type: 'RecordPartyStatement', data: { noticeId: 'an-1', memberId: 'm-yusuf', receivedOn: '2024-02-26', summary: `${MARK}statement` } },
        actors.navCaseworker,
        '2024-02-26',
      ],
      [
        { type: 'ExpressNeed', data: { needId: 'n-1', memberId: 'm-sara', words: `${MARK}words`, expressedOn: '2024-02-26' } },
        actors.navCaseworker,
        '2024-02-27',
      ],
      [
        {
          type: 'GiveConsent',
          data: {
            consentId: 'c-1',
            memberId: 'm-amina',
            givenByMemberId: 'm-amina',
            kind: 'information-sharing',
            sourceUnits: ['NAV'],
            toUnits: ['BFT'],
            dataCategories: ['needs'],
            purpose: `${MARK}purpose`,
            validFrom: '2024-02-27',
            validUntil: '2024-12-31',
            evidence: { form: 'oral', note: `${MARK}note` },
          },
        },
        actors.navCaseworker,
        '2024-02-27',
      ],
      [{ type: 'LeaveMember', data: { memberId: 'm-omar', leftOn: '2024-02-27', reason: `${MARK}left` } }, actors.navCaseworker, '2024-02-28'],
    ];
    let events = [...history];
    for (const [command, actor, day] of steps) {
      events = [...events, ...familyDecider.decide(command, foldFamily(events), familyContext({ actor, now: at(day) }))];
    }
    const decided = events.slice(history.length);
    expect(decided.map((e) => e.type)).toEqual([
      'NotificationSent',
      'NotificationReceived',
      'AppealRegistered',
      'AppealFormAssessed',
      'AdvanceNoticeSent',
      'PartyStatementReceived',
      'NeedExpressed',
      'ConsentGiven',
      'MemberLeft',
    ]);
    // The domain composed and copied: the notice's and the notification's language, the standing note.
    const dataOf = (type: string) => decided.find((e) => e.type === type)!.data as JsonObject;
    expect([dataOf('NotificationSent').language, dataOf('AdvanceNoticeSent').language]).toEqual([language, language]);
    expect(dataOf('AppealFormAssessed').standingNote).toContain(`${MARK}legal-interest`);
    for (const event of events) {
      const leaked = unclassifiedLeaves(event).filter((leaf) => secrets.some((s) => leaf.value.includes(s)));
      expect({ type: event.type, leaked }).toEqual({ type: event.type, leaked: [] });
    }
    // And the whole history's tokens are all inside classified fields.
    const classified = events.flatMap((e) => personalFieldsOf(e.type, e.data as JsonObject).map((f) => `${e.type}:${f.path.join('.')}`));
    expect(classified).toEqual(expect.arrayContaining(['NotificationSent:language', 'AdvanceNoticeSent:language', 'AppealFormAssessed:standingNote']));
  });
});
