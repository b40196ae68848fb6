import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Actor } from '../shared/actor';
import { ActionNotPermitted, InvalidDate, InvalidInput } from '../shared/domain-error';
import { fold } from '../shared/decider';
import { sequentialIds } from '../testing/decider-specification';
import {
  actors,
  by,
  caseworkerOf,
  familyContext,
  familyRegistered,
  familySpec as spec,
  navPaymentRecorded,
  referralAccepted,
  socialAssistanceApproved,
  socialAssistanceProposed,
  delegation,
} from '../testing/family.fixtures';
import type { Unit } from '../shared/units';
import { familyDecider } from '../family/family.decider';
import type { FamilyEvent, NeedExpressed } from '../family/family.events';
import { NoPartInCase } from '../family/parts.errors';
import { ErasureIdConflict, ErasureNotDue, ErasureRequesterNotPermitted, RetentionScheduleNotInForce } from './erasure.errors';
import { ERASURE_REFUSAL_PROVISIONS, RETENTION_JOB_ACTOR } from './erasure.decide';
import type { EraseDueRecords, ErasureRefused, PersonalDataErased, RequestErasure } from './erasure.types';
import { planRetention } from './retention-planner';
import { validateRetentionSchedule, type RetentionSchedule } from './retention-schedule';

/** The shipped schedule, read straight from its document (libs/rules/retention). */
const schedule: RetentionSchedule = validateRetentionSchedule(
  parse(readFileSync(join(__dirname, '..', '..', '..', 'rules', 'retention', 'trondheim-retention-2026.yaml'), 'utf8')),
);
const rule = (entry: string) => ({
  scheduleId: 'trondheim-retention-2026',
  version: 1,
  entry,
  provision: schedule.entries.find((e) => e.id === entry)!.provision,
});

const navLeader: Actor = { userId: 'lene.nav', role: 'unit-leader', unit: 'NAV' };
const need = (needId: string, memberId: string, unit: Unit, at: string): NeedExpressed => ({
  type: 'NeedExpressed',
  data: {
    needId,
    memberId,
    words: `Words of ${memberId}.`,
    expressedOn: at.slice(0, 10),
    recordedBy: { kind: 'unit', unit, userId: 'u' },
    ...by(caseworkerOf[unit], at),
  },
});
const closing = (unit: Unit, at: string): FamilyEvent => ({
  type: 'InvolvementClosed',
  data: { unit, reason: 'Done.', contactPersonIds: [], ...by(caseworkerOf[unit], at) },
});

/**
 * NAV registered the family (8 January 2024) and referred Amina to HVK under her consent
 * (c-ref-hvk, until 31 December 2024). NAV granted social assistance (d-nav, expired 1 August
 * 2024) and paid Amina on 1 March 2024; Amina and Sara told NAV their needs. HVK closed its
 * involvement on 1 September 2024 and NAV, the last unit, on 15 January 2025: the case closed then.
 */
const open: FamilyEvent[] = [
  familyRegistered,
  ...referralAccepted('HVK'),
  socialAssistanceProposed,
  socialAssistanceApproved,
  navPaymentRecorded,
  need('n-amina', 'm-amina', 'NAV', '2024-02-01T09:00:00.000Z'),
  need('n-sara', 'm-sara', 'NAV', '2024-02-02T09:00:00.000Z'),
  {
    type: 'DecisionExpired',
    data: {
      decisionId: 'd-nav',
      periodUntil: '2024-07-31',
      delegation: delegation('nav-social-assistance'),
      ...by(actors.navCaseworker, '2024-08-01T08:00:00.000Z'),
    },
  },
];
const closed: FamilyEvent[] = [...open, closing('HVK', '2024-09-01T08:00:00.000Z'), closing('NAV', '2025-01-15T08:00:00.000Z')];

const at = (day: string) => ({ now: new Date(`${day}T09:00:00.000Z`), newId: sequentialIds('er') });
const eraseDue = (keyRefs: string[], erasureId = 'e-1'): EraseDueRecords => ({ type: 'EraseDueRecords', data: { erasureId, keyRefs, schedule } });
const request = (data: Partial<RequestErasure['data']> = {}): RequestErasure => ({
  type: 'RequestErasure',
  data: {
    requestId: 'r-1',
    memberId: 'm-amina',
    categories: 'all',
    receivedOn: '2026-02-01',
    requestedBy: { memberId: 'm-amina' },
    channel: 'in-writing',
    schedule,
    ...data,
  },
});
const job = (day: string) => ({ ...at(day), actor: RETENTION_JOB_ACTOR });
const leader = (day: string, actor: Actor = navLeader) => ({ ...at(day), actor });
const erased = (keyRefs: string[], entry: string | null, day: string, extra: Partial<PersonalDataErased['data']> = {}): PersonalDataErased => ({
  type: 'PersonalDataErased',
  data: {
    erasureId: 'e-1',
    keyRefs,
    subjects: [],
    categories: [],
    on: day,
    rule: entry ? rule(entry) : null,
    requestId: null,
    ...by(entry ? RETENTION_JOB_ACTOR : navLeader, `${day}T09:00:00.000Z`),
    ...extra,
  },
});
const refused = (
  data: Omit<ErasureRefused['data'], 'requestId' | 'at' | 'by' | 'keptBecauseOf' | 'rule' | 'keptUntil'> & Partial<ErasureRefused['data']>,
  day = '2026-02-01',
): ErasureRefused => ({
  type: 'ErasureRefused',
  data: { requestId: 'r-1', rule: null, keptUntil: null, keptBecauseOf: [], ...data, ...by(navLeader, `${day}T09:00:00.000Z`) },
});
const decide = (events: FamilyEvent[], command: RequestErasure | EraseDueRecords, context: ReturnType<typeof leader>) =>
  familyDecider.decide(command, fold(familyDecider, events), familyContext(context));

describe('retention: planning under the shipped schedule', () => {
  it('plans no need, case text or identity while the case is open (GDPR art. 5(1)(e)); consents and payments run from their own anchors', () => {
    expect(planRetention(fold(familyDecider, open), schedule, '2031-01-01').map((d) => d.keyRef)).toEqual(['consent/c-ref-hvk', 'payment/pay-1']);
  });

  it('plans a consent three years after it ended, as proof of the consent (GDPR art. 7(1), 17(3)(e); foreldelsesloven § 9)', () => {
    const state = fold(familyDecider, closed);
    expect(planRetention(state, schedule, '2028-01-01')).toEqual([]);
    expect(planRetention(state, schedule, '2028-01-02')).toEqual([
      {
        keyRef: 'consent/c-ref-hvk',
        category: 'consent',
        subjects: ['m-amina'],
        rule: rule('consent'),
        ruleId: 'trondheim-retention-2026@v1/consent',
        anchor: 'consent-ended',
        anchorDate: '2025-01-01',
        keptUntil: '2028-01-01',
      },
    ]);
  });

  it('plans needs and case texts three years after the case closed, and identities last: never while a kept decision or payment names the member (arkivlova § 12, bokføringsloven § 13)', () => {
    const due = planRetention(fold(familyDecider, closed), schedule, '2028-01-16');
    expect(due.map((d) => [d.keyRef, d.ruleId.split('/')[1], d.anchorDate])).toEqual([
      // The key of texts stored before they had one per append; then each closing's reason under its own.
      ['case/family', 'case', '2025-01-15'],
      ['case/family:2024-09-01T08:00:00.000Z', 'case', '2025-01-15'],
      ['case/family:2025-01-15T08:00:00.000Z', 'case', '2025-01-15'],
      ['case/ref-hvk', 'case', '2025-01-15'],
      ['consent/c-ref-hvk', 'consent', '2025-01-01'],
      ['need/n-amina', 'need', '2025-01-15'],
      ['need/n-sara', 'need', '2025-01-15'],
      ['identity/m-leila', 'identity', '2025-01-15'],
      ['identity/m-omar', 'identity', '2025-01-15'],
      ['identity/m-sara', 'identity', '2025-01-15'],
    ]);
  });

  it('plans payment documentation from the day after five years from the end of its financial year (bokføringsloven § 13 andre ledd)', () => {
    const state = fold(familyDecider, closed);
    expect(planRetention(state, schedule, '2029-12-31').map((d) => d.keyRef)).not.toContain('payment/pay-1');
    expect(planRetention(state, schedule, '2030-01-01').find((d) => d.keyRef === 'payment/pay-1')).toMatchObject({
      anchorDate: '2024-12-31',
      keptUntil: '2029-12-31',
    });
  });

  it('reopening the case resets "case closed": a unit that takes a part again stops the clock', () => {
    const reopened = [...closed, ...referralAccepted('INN').map((e) => ({ ...e, data: { ...e.data, at: '2026-03-01T08:00:00.000Z' } }) as FamilyEvent)];
    // INN's referral came from NAV's part, which was closed: built here as events, the decider would refuse it.
    expect(planRetention(fold(familyDecider, reopened), schedule, '2028-01-16').map((d) => d.keyRef)).toEqual(['consent/c-ref-hvk', 'consent/c-ref-inn']);
  });
});

describe('EraseDueRecords: the retention job erases what is due (GDPR art. 5(1)(e), 17(1)(a))', () => {
  it('erases the plan, one PersonalDataErased per schedule entry sharing the erasure id, identities last', () => {
    const plan = planRetention(fold(familyDecider, closed), schedule, '2028-01-16').map((d) => d.keyRef);
    const state = spec
      .given(closed)
      .when(eraseDue(plan), job('2028-01-16'))
      .then([
        erased(['case/family', 'case/family:2024-09-01T08:00:00.000Z', 'case/family:2025-01-15T08:00:00.000Z', 'case/ref-hvk'], 'case', '2028-01-16', {
          subjects: ['m-amina'],
          categories: ['case'],
        }),
        erased(['consent/c-ref-hvk'], 'consent', '2028-01-16', { subjects: ['m-amina'], categories: ['consent'] }),
        erased(['need/n-amina', 'need/n-sara'], 'need', '2028-01-16', { subjects: ['m-amina', 'm-sara'], categories: ['need'] }),
        erased(['identity/m-leila', 'identity/m-omar', 'identity/m-sara'], 'identity', '2028-01-16', {
          subjects: ['m-leila', 'm-omar', 'm-sara'],
          categories: ['identity'],
        }),
      ]);
    expect(state.erasures['need/n-sara']).toMatchObject({
      on: '2028-01-16',
      erasureId: 'e-1',
      rule: rule('need'),
      provision: rule('need').provision,
      requestId: null,
    });
    expect(planRetention(state, schedule, '2028-01-16')).toEqual([]);
  });

  it('is a no-op for the same erasure again (the job repairs a crash between shredding and append)', () => {
    const first = decide(closed, eraseDue(['need/n-sara']), job('2028-01-16'));
    spec
      .given([...closed, ...first])
      .when(eraseDue(['need/n-sara']), job('2028-01-17'))
      .then([]);
    spec
      .given([...closed, ...first])
      .when(eraseDue(['need/n-amina']), job('2028-01-17'))
      .thenThrows(ErasureIdConflict);
  });

  it('refuses a record the schedule does not make due: payment documentation within bokføringsloven § 13, a kept decision (arkivlova § 12), one already erased', () => {
    const first = decide(closed, eraseDue(['need/n-sara']), job('2028-01-16'));
    const error = spec
      .given([...closed, ...first])
      .when(eraseDue(['payment/pay-1', 'decision/d-nav', 'need/n-sara', 'need/n-unknown'], 'e-2'), job('2028-01-16'))
      .thenThrows(ErasureNotDue);
    expect(error.details.notDue).toEqual([
      { keyRef: 'payment/pay-1', why: 'kept until 2029-12-31 under trondheim-retention-2026@v1/payment' },
      { keyRef: 'decision/d-nav', why: 'kept under trondheim-retention-2026@v1/decision' },
      { keyRef: 'need/n-sara', why: 'already erased on 2028-01-16' },
      { keyRef: 'need/n-unknown', why: 'no such record in this family' },
    ]);
  });

  it("refuses an identity while the member's other records are not erased with it (identity last)", () => {
    const error = spec
      .given(closed)
      .when(eraseDue(['identity/m-sara']), job('2028-01-16'))
      .thenThrows(ErasureNotDue);
    expect(error.details.notDue).toEqual([{ keyRef: 'identity/m-sara', why: "erase the member's other records first: need/n-sara" }]);
  });

  it('is the retention job’s only: a unit leader records a request instead', () => {
    spec
      .given(closed)
      .when(eraseDue(['need/n-sara']), leader('2028-01-16'))
      .thenThrows(ActionNotPermitted);
  });

  it('refuses a schedule not yet in force, and a key ref that is none of the design’s', () => {
    spec
      .given(closed)
      .when(eraseDue(['need/n-sara']), job('2025-12-31'))
      .thenThrows(RetentionScheduleNotInForce);
    spec
      .given(closed)
      .when(eraseDue(['notes/n-sara']), job('2028-01-16'))
      .thenThrows(InvalidInput);
  });

  it('reads every key ref of the catalogue, appeal/… and case/family:<at> included: asked for, they are planned like any record (here: not due)', () => {
    const appeal: FamilyEvent = {
      type: 'AppealRegistered',
      data: {
        appealId: 'a-1',
        decisionId: 'd-nav',
        againstDismissalOf: null,
        appellant: { kind: 'member', memberId: 'm-amina' },
        receivedOn: '2024-08-05',
        postedOn: null,
        channel: 'post',
        grounds: 'Too little.',
        signed: true,
        ...by(actors.navCaseworker, '2024-08-05T09:00:00.000Z'),
      },
    };
    const withdrawn: FamilyEvent = {
      type: 'AppealWithdrawn',
      data: { appealId: 'a-1', withdrawnOn: '2024-08-06', note: null, ...by(actors.navCaseworker, '2024-08-06T09:00:00.000Z') },
    };
    const history = [...open, appeal, withdrawn, closing('HVK', '2024-09-01T08:00:00.000Z'), closing('NAV', '2025-01-15T08:00:00.000Z')];
    const error = spec
      .given(history)
      .when(eraseDue(['appeal/a-1']), job('2028-01-16'))
      .thenThrows(ErasureNotDue);
    // Kept with its decision (decision-final, the decision entry keeps it).
    expect(error.details).toEqual({ notDue: [{ keyRef: 'appeal/a-1', why: 'kept under trondheim-retention-2026@v1/decision' }] });
    spec
      .given(history)
      .when(eraseDue(['case/family:2025-01-15T08:00:00.000Z']), job('2028-01-16'))
      .then([erased(['case/family:2025-01-15T08:00:00.000Z'], 'case', '2028-01-16', { categories: ['case'] })]);
  });
});

describe('RequestErasure: GDPR art. 17, an outcome per record', () => {
  it('while the case is open: refuses needs, case texts and the identity (art. 17(3)(b), open case), the decision (arkivlova § 12, art. 17(3)(b)), the payment (bokføringsloven § 13) and the consent in its proof period (art. 17(3)(e))', () => {
    const outcome = decide(open, request(), leader('2026-02-01'));
    expect(outcome.map((e) => (e.type === 'ErasureRefused' ? [e.data.keyRef, e.data.reason, e.data.keptUntil] : [e.type]))).toEqual([
      ['ErasureRequested'],
      ['need/n-amina', 'case-open', null],
      ['consent/c-ref-hvk', 'retention-duty', '2028-01-01'],
      ['decision/d-nav', 'kept-for-archives', null],
      ['payment/pay-1', 'retention-duty', '2029-12-31'],
      ['case/ref-hvk', 'case-open', null],
      ['identity/m-amina', 'case-open', null],
    ]);
    const refusals = outcome.filter((e): e is ErasureRefused => e.type === 'ErasureRefused');
    expect(refusals.find((r) => r.data.reason === 'case-open')?.data.provision).toBe(ERASURE_REFUSAL_PROVISIONS['case-open']);
    expect(refusals.find((r) => r.data.keyRef === 'decision/d-nav')?.data.provision).toContain('arkivlova § 12');
    expect(refusals.find((r) => r.data.keyRef === 'payment/pay-1')?.data.provision).toContain('bokføringsloven § 13');
    expect(refusals.find((r) => r.data.keyRef === 'consent/c-ref-hvk')?.data.provision).toContain('17(3)(e)');
  });

  it('after the case closed: erases needs and case texts at once (art. 17(1)(a)); keeps the consent in its proof period (art. 7(1), 17(3)(e)), the decision (arkivlova § 12) and the payment (bokføringsloven § 13); the identity stays with them', () => {
    const state = spec
      .given(closed)
      .when(request(), leader('2026-02-01'))
      .then([
        {
          type: 'ErasureRequested',
          data: {
            requestId: 'r-1',
            memberId: 'm-amina',
            categories: 'all',
            receivedOn: '2026-02-01',
            requestedBy: { kind: 'member', memberId: 'm-amina' },
            channel: 'in-writing',
            alreadyErased: [],
            ...by(navLeader, '2026-02-01T09:00:00.000Z'),
          },
        },
        erased(['need/n-amina', 'case/ref-hvk'], null, '2026-02-01', {
          erasureId: 'r-1',
          requestId: 'r-1',
          subjects: ['m-amina'],
          categories: ['need', 'case'],
        }),
        refused({
          keyRef: 'consent/c-ref-hvk',
          category: 'consent',
          reason: 'retention-duty',
          provision: rule('consent').provision,
          rule: rule('consent'),
          keptUntil: '2028-01-01',
        }),
        refused({ keyRef: 'decision/d-nav', category: 'decision', reason: 'kept-for-archives', provision: rule('decision').provision, rule: rule('decision') }),
        refused({
          keyRef: 'payment/pay-1',
          category: 'payment',
          reason: 'retention-duty',
          provision: rule('payment').provision,
          rule: rule('payment'),
          keptUntil: '2029-12-31',
        }),
        refused({
          keyRef: 'identity/m-amina',
          category: 'identity',
          reason: 'identity-still-needed',
          provision: ERASURE_REFUSAL_PROVISIONS['identity-still-needed'],
          rule: rule('identity'),
          keptBecauseOf: ['consent/c-ref-hvk', 'decision/d-nav', 'payment/pay-1'],
        }),
      ]);
    expect(state.erasureRequests['r-1']).toMatchObject({ erased: ['need/n-amina', 'case/ref-hvk'], refused: [{ keyRef: 'consent/c-ref-hvk' }, {}, {}, {}] });
    expect(state.erasures['need/n-amina']).toMatchObject({ on: '2026-02-01', rule: null, requestId: 'r-1', provision: 'GDPR art. 17(1)' });
    // The retention job will not plan them again.
    expect(planRetention(state, schedule, '2028-01-16').map((d) => d.keyRef)).not.toContain('need/n-amina');
  });

  it('a parent asks for a child (barneloven ch. 5): Sara’s need and then her identity go, the family-level case text is not hers', () => {
    const outcome = decide(closed, request({ memberId: 'm-sara', requestedBy: { memberId: 'm-yusuf' } }), leader('2026-02-01'));
    expect(outcome.map((e) => e.type)).toEqual(['ErasureRequested', 'PersonalDataErased']);
    expect(outcome[1].data).toMatchObject({ keyRefs: ['need/n-sara', 'identity/m-sara'], subjects: ['m-sara'], categories: ['identity', 'need'], rule: null });
  });

  it('names records erased before, and asks only for the categories named', () => {
    const first = decide(closed, request({ categories: ['need'] }), leader('2026-02-01'));
    expect(first.map((e) => e.type)).toEqual(['ErasureRequested', 'PersonalDataErased']);
    const again = decide([...closed, ...first], request({ requestId: 'r-2', categories: ['need', 'case'] }), leader('2026-02-02'));
    expect(again[0].data).toMatchObject({ alreadyErased: ['need/n-amina'] });
    expect(again[1].data).toMatchObject({ keyRefs: ['case/ref-hvk'] });
  });

  it('keeps what the child-welfare service worked on (riksarkivarens forskrift § 7-30, barnevernsloven § 12-4; art. 17(3)(b))', () => {
    const withBft = [familyRegistered, ...referralAccepted('BFT'), need('n-bft', 'm-sara', 'BFT', '2024-02-01T09:00:00.000Z')];
    const closedBft = [...withBft, closing('BFT', '2024-09-01T08:00:00.000Z'), closing('NAV', '2024-10-01T08:00:00.000Z')];
    const outcome = decide(
      closedBft,
      request({ memberId: 'm-sara', requestedBy: { memberId: 'm-amina' }, categories: ['need', 'case'] }),
      leader('2026-02-01'),
    );
    expect(outcome.filter((e) => e.type === 'ErasureRefused').map((e) => [e.data.keyRef, e.data.reason, (e as ErasureRefused).data.rule?.entry])).toEqual([
      ['need/n-bft', 'kept-for-archives', 'need-child-welfare'],
      ['case/ref-bft', 'kept-for-archives', 'case-child-welfare'],
    ]);
  });

  it('refuses to erase a consent in force: it ends by withdrawal (GDPR art. 7(3), 17(1)(b))', () => {
    const inForce: FamilyEvent = {
      type: 'ConsentGiven',
      data: {
        consentId: 'c-long',
        memberId: 'm-yusuf',
        givenByMemberId: 'm-yusuf',
        givenAsGuardian: false,
        kind: 'coordination',
        sourceUnits: null,
        toUnits: ['NAV'],
        dataCategories: ['needs'],
        purpose: 'NAV coordinates.',
        validFrom: '2024-01-08',
        validUntil: '2027-12-31',
        evidence: { form: 'written', documentRef: 'f' },
        ...by(actors.navCaseworker, '2024-01-08T10:00:00.000Z'),
      },
    };
    const outcome = decide(
      [...closed, inForce],
      request({ memberId: 'm-yusuf', requestedBy: { memberId: 'm-yusuf' }, categories: ['consent'] }),
      leader('2026-02-01'),
    );
    expect(outcome[1]).toMatchObject({
      type: 'ErasureRefused',
      data: { keyRef: 'consent/c-long', reason: 'consent-in-force', provision: ERASURE_REFUSAL_PROVISIONS['consent-in-force'], keptUntil: '2031-01-01' },
    });
  });

  it('takes a request from the member, a holder of parental responsibility for a child, or a representative; not from another adult (GDPR art. 12, 17)', () => {
    spec
      .given(closed)
      .when(request({ requestedBy: { memberId: 'm-yusuf' } }), leader('2026-02-01'))
      .thenThrows(ErasureRequesterNotPermitted);
    spec
      .given(closed)
      .when(request({ memberId: 'm-sara', requestedBy: { memberId: 'm-leila' } }), leader('2026-02-01'))
      .thenThrows(ErasureRequesterNotPermitted);
    const represented = decide(closed, request({ requestedBy: { representative: 'Advokat Berg' } }), leader('2026-02-01'));
    expect(represented[0].data).toMatchObject({ requestedBy: { kind: 'representative', representative: 'Advokat Berg' } });
  });

  it('is recorded by a unit leader of a unit that has or had a part (fvl § 13): not a caseworker, not a unit that never had one', () => {
    spec.given(closed).when(request(), leader('2026-02-01', actors.navCaseworker)).thenThrows(ActionNotPermitted);
    spec
      .given(closed)
      .when(request(), leader('2026-02-01', { userId: 'o', role: 'unit-leader', unit: 'OPPVEKST' }))
      .thenThrows(NoPartInCase);
    spec.given(closed).when(request(), leader('2026-02-01', actors.auditor)).thenThrows(ActionNotPermitted);
  });

  it('refuses a request received in the future, an unknown category and a second request with the same id', () => {
    spec
      .given(closed)
      .when(request({ receivedOn: '2026-03-01' }), leader('2026-02-01'))
      .thenThrows(InvalidDate);
    spec
      .given(closed)
      .when(request({ categories: ['read-audit'] as never }), leader('2026-02-01'))
      .thenThrows(InvalidInput);
    const first = decide(closed, request(), leader('2026-02-01'));
    spec
      .given([...closed, ...first])
      .when(request(), leader('2026-02-02'))
      .thenThrows('ALREADY_EXISTS');
  });
});
