import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  actors,
  by,
  familyRegistered,
  familySpec as spec,
  members,
  navPaymentRecorded,
  referralAccepted,
  socialAssistanceApproved,
  socialAssistanceProposed,
  sharingConsent,
  TODAY,
} from '../testing/family.fixtures';
import type { FamilyEvent } from './family.events';
import { foldFamily } from './family.evolve';
import { RecordErased } from '../retention/erasure.errors';
import { validateRetentionSchedule } from '../retention/retention-schedule';
import type { PersonalDataErased } from '../retention/erasure.types';

/**
 * Commands about erased records (GDPR art. 17; the retention schedule or a request): the key that
 * held the record's text is destroyed for good, so the domain refuses, naming the record, the day
 * and the provision (RECORD_ERASED, 409), before the event store would refuse the append
 * (PERSONAL_DATA_ERASED). Most such commands never come (an erased record's case is closed); a case
 * reopened by a referral accepted, or a schedule that erases sooner, brings them.
 */

const erasure = (keyRefs: string[], on = '2024-03-10'): PersonalDataErased => ({
  type: 'PersonalDataErased',
  data: {
    erasureId: 'x-1',
    keyRefs,
    subjects: [],
    categories: [],
    on,
    rule: null,
    requestId: 'r-1',
    ...by({ userId: 'lene.nav', role: 'unit-leader', unit: 'NAV' }, `${on}T09:00:00.000Z`),
  },
});
const active = [familyRegistered, socialAssistanceProposed, socialAssistanceApproved];

describe('GDPR art. 17: commands about erased records are refused (RECORD_ERASED)', () => {
  it('amending a decision whose key is erased: refused naming the key, the day and the provision, before anything about the decision', () => {
    const error = spec
      .given([...active, erasure(['decision/d-nav'])])
      .when(
        { type: 'AmendDecision', data: { decisionId: 'd-nav', amounts: { monthlyAmountOre: 1_400_000 }, reasons: 'Rent went up.' } },
        { actor: actors.navApprover },
      )
      .thenThrows(RecordErased);
    expect(error.code).toBe('RECORD_ERASED');
    expect(error.kind).toBe('conflict');
    expect(error.message).toBe(
      'The decision (decision/d-nav) was erased on 2024-03-10 (GDPR art. 17(1)): its personal data is gone for good, so it can no longer be acted on.',
    );
    expect(error.details).toEqual({ keyRef: 'decision/d-nav', erasedOn: '2024-03-10', rule: null, provision: 'GDPR art. 17(1)' });
  });

  it('expressing a need for a member whose identity is erased: refused; the person is registered anew under a new member id', () => {
    const error = spec
      .given([...active, erasure(['identity/m-sara'])])
      .when({ type: 'ExpressNeed', data: { memberId: 'm-sara', words: 'Fotball.' } })
      .thenThrows(RecordErased);
    expect(error.message).toMatch(/^The member \(identity\/m-sara\) was erased on 2024-03-10 .*registered as a new member \(a new member id\)\.$/);
    // A need of the family as a whole, or of a member still known, is recorded as ever.
    spec
      .given([...active, erasure(['identity/m-sara'])])
      .when({ type: 'ExpressNeed', data: { needId: 'n-9', memberId: null, words: 'Fotball.' } })
      .then([
        {
          type: 'NeedExpressed',
          data: {
            needId: 'n-9',
            memberId: null,
            words: 'Fotball.',
            expressedOn: TODAY,
            recordedBy: { kind: 'unit', unit: 'NAV', userId: actors.navCaseworker.userId },
            ...by(actors.navCaseworker),
          },
        },
      ]);
  });

  it('a member whose identity is erased cannot come back under the same id (the identity key is never made again)', () => {
    const left: FamilyEvent = {
      type: 'MemberLeft',
      data: { memberId: 'm-omar', leftOn: '2024-03-01', reason: null, ...by(actors.navCaseworker, '2024-03-01T08:00:00.000Z') },
    };
    const error = spec
      .given([...active, left, erasure(['identity/m-omar'])])
      .when({ type: 'JoinMember', data: { member: { ...members.omar, name: 'Omar' } } })
      .thenThrows(RecordErased);
    expect(error.details).toMatchObject({ keyRef: 'identity/m-omar' });
  });

  it('resolving an erased need, reversing an erased payment: refused before their status is looked at', () => {
    const need: FamilyEvent = {
      type: 'NeedExpressed',
      data: {
        needId: 'n-1',
        memberId: 'm-amina',
        words: 'Husleie.',
        expressedOn: '2024-03-01',
        recordedBy: { kind: 'unit', unit: 'NAV', userId: 'kari.nav' },
        ...by(actors.navCaseworker, '2024-03-01T09:00:00.000Z'),
      },
    };
    spec
      .given([...active, need, erasure(['need/n-1'])])
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', resolution: 'Paid.' } })
      .thenThrows(RecordErased);
    spec
      .given([...active, navPaymentRecorded, erasure(['payment/pay-1'])])
      .when({ type: 'ReversePayment', data: { paymentId: 'pay-1', reason: 'Wrong account.' } })
      .thenThrows(RecordErased);
  });

  it('answering a referral whose reason is erased is refused (the reason is what the unit decides on)', () => {
    const [consent, recorded] = referralAccepted('HVK');
    spec
      .given([familyRegistered, consent, recorded, erasure(['case/ref-hvk'])])
      .when({ type: 'DeclineReferral', data: { referralId: 'ref-hvk', reason: 'Not for us.' } }, { actor: actors.hvkCaseworker })
      .thenThrows(RecordErased);
  });

  it('any command whose events would write under an erased key is refused by the decider itself (here: a consent withdrawal with a reason)', () => {
    const consent = sharingConsent('c-1', 'm-amina', ['BFT']);
    const error = spec
      .given([familyRegistered, consent, erasure(['consent/c-1'])])
      .when({ type: 'WithdrawConsent', data: { consentId: 'c-1', expressedByMemberId: 'm-amina', channel: 'orally', reason: 'Changed my mind.' } })
      .thenThrows(RecordErased);
    expect(error.details).toMatchObject({ keyRef: 'consent/c-1' });
  });

  it('an erasure known only from the decoded events’ notes (the key went first, PersonalDataErased not yet appended) refuses too', () => {
    const joined: FamilyEvent = {
      type: 'MemberJoined',
      data: {
        member: { ...members.omar, memberId: 'm-new', name: '', birthDate: '0001-01-01', nationalId: null, preferredLanguage: null },
        joinedOn: '2024-02-01',
        ...by(actors.navCaseworker, '2024-02-01T09:00:00.000Z'),
        $erased: [
          {
            path: 'member.name',
            keyRef: 'identity/m-new',
            category: 'identity',
            on: '2024-03-10',
            rule: 'trondheim-retention-2026@v1/identity',
            provision: 'GDPR art. 5(1)(e)',
          },
        ],
      } as never,
    };
    expect(foldFamily([...active, joined]).erasedKeys?.['identity/m-new']).toBeDefined();
    const error = spec
      .given([...active, joined])
      .when({ type: 'ExpressNeed', data: { memberId: 'm-new', words: 'X.' } })
      .thenThrows(RecordErased);
    expect(error.message).toMatch(/erased on 2024-03-10 under trondheim-retention-2026@v1\/identity \(GDPR art\. 5\(1\)\(e\)\)/);
  });

  it('GDPR art. 17: a request about a member already forgotten is still answered (their records listed as already erased)', () => {
    const schedule = validateRetentionSchedule(
      parse(readFileSync(join(__dirname, '..', '..', '..', 'rules', 'retention', 'trondheim-retention-2026.yaml'), 'utf8')),
    );
    const state = spec
      .given([...active, erasure(['identity/m-omar'])])
      .when(
        {
          type: 'RequestErasure',
          data: {
            requestId: 'r-2',
            memberId: 'm-omar',
            categories: ['identity'],
            receivedOn: '2026-02-01',
            requestedBy: { memberId: 'm-omar' },
            channel: 'in-writing',
            schedule,
          },
        },
        { actor: { userId: 'lene.nav', role: 'unit-leader', unit: 'NAV' }, now: new Date('2026-02-01T09:00:00.000Z') },
      )
      .then([
        {
          type: 'ErasureRequested',
          data: {
            requestId: 'r-2',
            memberId: 'm-omar',
            categories: ['identity'],
            receivedOn: '2026-02-01',
            requestedBy: { kind: 'member', memberId: 'm-omar' },
            channel: 'in-writing',
            alreadyErased: ['identity/m-omar'],
            ...by({ userId: 'lene.nav', role: 'unit-leader', unit: 'NAV' }, '2026-02-01T09:00:00.000Z'),
          },
        },
      ]);
    expect(state.erasureRequests['r-2'].alreadyErased).toEqual(['identity/m-omar']);
  });
});
