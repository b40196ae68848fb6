import { maskFamilyState, type ReadableFamilyState } from '@familievedtak/domain';
import { buildFamilyDecisionView, DEFAULT_OPEN_NEED_WARNING_DAYS, type FamilyDecisionView, type FamilyWarning } from './family-decision-view';
import { hassanHistory, TODAY } from './testing/hassan-family';

/**
 * Issue 16: a need a unit picked up but nobody closed raises a warning once it has been open
 * more than openNeedWarningDays (default: one six-month review cycle), and warnings and expiries
 * name the people. Every day here is passed in: nothing reads the real clock.
 */
const { state } = hassanHistory();
const openTooLong = (v: FamilyDecisionView) =>
  v.warnings.filter((w): w is Extract<FamilyWarning, { kind: 'need-open-too-long' }> => w.kind === 'need-open-too-long');

describe('the need-open-too-long warning (n-summer-job: expressed 1 March 2024, picked up by INN on 4 March, still open)', () => {
  it('defaults to 180 days, one review cycle', () => {
    expect(DEFAULT_OPEN_NEED_WARNING_DAYS).toBe(180);
  });

  it('is not raised on the day the limit is reached, and is from the day after', () => {
    // 1 March + 180 days = 28 August 2024 (a leap year).
    expect(openTooLong(buildFamilyDecisionView(state, '2024-08-28'))).toEqual([]);
    expect(openTooLong(buildFamilyDecisionView(state, '2024-08-29'))).toEqual([
      {
        kind: 'need-open-too-long',
        needId: 'n-summer-job',
        memberId: 'm-leila',
        memberName: 'Leila Hassan',
        expressedOn: '2024-03-01',
        daysOpen: 181,
        pickedUpBy: ['INN'],
        limitDays: 180,
      },
    ]);
  });

  it('warns about the case in the issue: 898 days open, picked up by a unit', () => {
    // 1 March 2024 + 898 days = 16 August 2026.
    const [warning] = openTooLong(buildFamilyDecisionView(state, '2026-08-16'));
    expect(warning).toMatchObject({ needId: 'n-summer-job', daysOpen: 898, pickedUpBy: ['INN'] });
  });

  it('takes the limit from the options (the rule set in force), whole days only', () => {
    // On TODAY (14 June) the need is 105 days open.
    expect(openTooLong(buildFamilyDecisionView(state, TODAY))).toEqual([]);
    expect(openTooLong(buildFamilyDecisionView(state, TODAY, { openNeedWarningDays: 105 }))).toEqual([]);
    expect(openTooLong(buildFamilyDecisionView(state, TODAY, { openNeedWarningDays: 104 })).map((w) => [w.needId, w.limitDays])).toEqual([
      ['n-summer-job', 104],
    ]);
    expect(() => buildFamilyDecisionView(state, TODAY, { openNeedWarningDays: -1 })).toThrow(RangeError);
    expect(() => buildFamilyDecisionView(state, TODAY, { openNeedWarningDays: 1.5 })).toThrow(RangeError);
  });

  it('leaves needs nobody picked up to need-without-response: never both for one need', () => {
    const view = buildFamilyDecisionView(state, '2026-08-16', { openNeedWarningDays: 0 });
    const tooLong = openTooLong(view).map((w) => w.needId);
    const unanswered = view.warnings.flatMap((w) => (w.kind === 'need-without-response' ? [w.needId] : []));
    expect(tooLong).toEqual(['n-summer-job']);
    expect(unanswered.sort()).toEqual(['n-furniture', 'n-licence']);
    expect(tooLong.filter((id) => unanswered.includes(id))).toEqual([]);
    expect(view.summary.warningCount).toBe(view.warnings.length);
  });

  it('is no warning once the need is resolved or withdrawn', () => {
    const resolved = structuredClone(state);
    resolved.needs['n-summer-job'] = { ...resolved.needs['n-summer-job'], status: 'resolved' };
    expect(openTooLong(buildFamilyDecisionView(resolved, '2026-08-16'))).toEqual([]);
    const withdrawn = structuredClone(state);
    withdrawn.needs['n-summer-job'] = { ...withdrawn.needs['n-summer-job'], status: 'withdrawn' };
    expect(openTooLong(buildFamilyDecisionView(withdrawn, '2026-08-16'))).toEqual([]);
  });
});

describe('warnings and expiries name the people', () => {
  it('names the member of each expiring decision and consent', () => {
    const view = buildFamilyDecisionView(state, TODAY);
    for (const item of view.expiring.items) {
      if (item.kind === 'decision') {
        expect(item.members.map((m) => m.memberId)).toEqual(item.memberIds);
        expect(item.members.every((m) => typeof m.name === 'string' && m.name.endsWith('Hassan'))).toBe(true);
      }
      if (item.kind === 'consent') expect(item.memberName).toEqual(state.members[item.memberId].name);
    }
    expect(view.expiring.items.some((i) => i.kind === 'consent')).toBe(true);
  });

  it('masks the name of a kode 6 member in warnings and expiries for a reader without clearance', () => {
    const protectedState = structuredClone(state) as ReadableFamilyState;
    const leila = protectedState.members['m-leila'];
    protectedState.members['m-leila'] = { ...leila, addressProtection: 'strengt-fortrolig', protectedAddress: true } as typeof leila;
    const { state: masked } = maskFamilyState(protectedState, { protectedAddressClearance: false });
    const view = buildFamilyDecisionView(masked, '2024-08-29');
    const [warning] = openTooLong(view);
    expect(warning).toMatchObject({ memberId: 'm-leila', memberName: null });
    expect(JSON.stringify(view.warnings)).not.toContain('Leila');
    expect(JSON.stringify(view.expiring)).not.toContain('Leila');
    // With clearance the name is there.
    const cleared = buildFamilyDecisionView(maskFamilyState(protectedState, { protectedAddressClearance: true }).state, '2024-08-29');
    expect(openTooLong(cleared)[0].memberName).toBe('Leila Hassan');
  });
});
