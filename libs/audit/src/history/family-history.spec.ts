import { decideHistory } from '../../../projections/src/family-view/testing/family-history';
import { actors, HASSAN, hassanHistory, step } from '../../../projections/src/family-view/testing/hassan-family';
import { recordedHistory } from '../testing/recorded-history';
import { familyHistory, type HistoryEntry } from './family-history';

const events = recordedHistory(HASSAN, hassanHistory().commits);
const all = familyHistory(events, {}, { limit: 1000 }).entries;
const find = (type: string, pred: (e: HistoryEntry) => boolean = () => true) => {
  const found = all.filter((e) => e.type === type && pred(e));
  expect(found).toHaveLength(1);
  return found[0];
};

describe('familyHistory (pure, the Hassan family)', () => {
  it('has one entry per event, in revision order, with stamps and metadata', () => {
    expect(all.map((e) => e.revision)).toEqual(events.map((e) => e.revision));
    expect(all[0]).toMatchObject({
      type: 'FamilyRegistered',
      category: 'household',
      label: 'NAV registered the family in Heimdal with Amina Hassan, Yusuf Hassan, Leila Hassan, Sara Hassan and Omar Hassan',
      actor: { userId: 'kari.nav', role: 'caseworker', unit: 'NAV', partnerOrganisation: null },
      commandId: 'cmd-0',
      correlationId: 'corr-1',
      causationId: 'cmd-0',
      delegation: null,
      globalPosition: '1000',
      recordedAt: '2024-01-08T09:00:00.000Z',
    });
  });

  it('labels a decision event and names the delegation rule that authorised it', () => {
    const approved = find('DecisionApproved', (e) => e.label.includes('economic-social-assistance'));
    expect(approved.label).toBe('NAV approved decision economic-social-assistance for Amina Hassan and Yusuf Hassan');
    expect(approved.actor.userId).toBe('ola.nav');
    expect(approved.category).toBe('decisions');
    const raw = events[approved.revision].data as { delegation: { ruleSetId: string; ruleSetVersion: number; ruleId: string } };
    expect(approved.delegation).toEqual(raw.delegation);
    expect(approved.delegation!.ruleId).toEqual(expect.any(String));
    expect(approved.memberIds).toEqual(['m-amina', 'm-yusuf']);
    expect(find('DecisionRevoked').label).toBe('BFT revoked decision coordinator-child for Leila Hassan');
  });

  it('a family decision relies on the consents it names; other events on the consents in force that name the acting unit', () => {
    const issued = find('FamilyDecisionIssued');
    expect(issued.consentsReliedOn).toEqual(['c-amina-combine', 'c-yusuf-combine']);
    expect(issued.delegation).toEqual({ ruleSetId: expect.any(String), ruleSetVersion: expect.any(Number), ruleId: null });
    // BFT paid for Sara on 20 March: her mother's consent to BFT and OPPVEKST ran until 31 March.
    expect(find('PaymentRecorded', (e) => e.label.includes('NOK 500.00')).consentsReliedOn).toEqual(['c-sara-info']);
    // NAV recorded Yusuf's need on 1 April, a month before he withdrew his consent.
    expect(find('NeedExpressed', (e) => e.label.includes('Yusuf') && e.recordedAt.startsWith('2024-04-01')).consentsReliedOn).toEqual(['c-yusuf-info']);
    // Leila never consented; a partner acts for no unit.
    expect(find('DecisionRevoked').consentsReliedOn).toEqual([]);
    expect(find('NeedWithdrawn').actor.partnerOrganisation).toBe('Saupstad skole');
    expect(find('NeedWithdrawn').consentsReliedOn).toEqual([]);
  });

  it('no longer relies on a consent once it is withdrawn', () => {
    const withdrawal = find('ConsentWithdrawn');
    expect(withdrawal.label).toBe('NAV recorded that the information-sharing consent for Yusuf Hassan to NAV, BFT and HVK was withdrawn from 2024-05-01');
    const later = all.filter((e) => e.revision > withdrawal.revision && e.memberIds.includes('m-yusuf') && e.actor.unit === 'NAV' && e.type !== 'FamilyDecisionIssued');
    expect(later.length).toBeGreaterThan(0);
    for (const e of later) expect(e.consentsReliedOn).not.toContain('c-yusuf-info');
  });

  it('filters by unit: the acting unit or the unit of the decision the event is about', () => {
    const inn = familyHistory(events, { unit: 'INN' }, { limit: 1000 }).entries;
    expect(inn.map((e) => e.type)).toEqual(['DecisionProposed', 'DecisionApproved', 'NeedPickedUp', 'DecisionExpired']);
    // OPPVEKST acted only on its own fee reductions; BFT's consent naming OPPVEKST is BFT's act.
    const oppvekst = familyHistory(events, { unit: 'OPPVEKST' }, { limit: 1000 }).entries;
    expect(oppvekst.map((e) => e.label)).toEqual([
      'OPPVEKST proposed decision kindergarten-fee-reduction for Omar Hassan (2024-01-01 to 2024-06-30)',
      'OPPVEKST proposed decision after-school-fee-reduction for Sara Hassan (2024-01-01 to 2024-05-31)',
      'OPPVEKST approved decision kindergarten-fee-reduction for Omar Hassan',
      'OPPVEKST approved decision after-school-fee-reduction for Sara Hassan',
    ]);
  });

  it('filters by type and by period (dates are whole Oslo days, an instant until is exclusive)', () => {
    const april = familyHistory(events, { types: ['DecisionRevoked', 'DecisionExpired'], from: '2024-04-01', until: '2024-04-30' }).entries;
    expect(april.map((e) => [e.type, e.recordedAt])).toEqual([
      ['DecisionExpired', '2024-04-02T09:00:00.000Z'],
      ['DecisionRevoked', '2024-04-10T09:00:00.000Z'],
    ]);
    const exclusive = familyHistory(events, { types: ['DecisionRevoked'], until: '2024-04-10T09:00:00.000Z' }).entries;
    expect(exclusive).toEqual([]);
    const inclusive = familyHistory(events, { types: ['DecisionRevoked'], from: '2024-04-10T09:00:00Z' }).entries;
    expect(inclusive).toHaveLength(1);
  });

  it('pages by revision cursor: the pages together are the whole history', () => {
    const pages: HistoryEntry[][] = [];
    let after: number | undefined;
    for (;;) {
      const page = familyHistory(events, {}, { after, limit: 7 });
      pages.push(page.entries);
      if (page.nextCursor === null) break;
      after = page.nextCursor;
    }
    expect(pages.length).toBe(Math.ceil(events.length / 7));
    expect(pages.flat()).toEqual(all);
  });

  it('refuses an unknown unit, event type or malformed period', () => {
    expect(() => familyHistory(events, { unit: 'KOMMUNE' })).toThrow(RangeError);
    expect(() => familyHistory(events, { types: ['FamilyExploded'] })).toThrow(/FamilyExploded/);
    expect(() => familyHistory(events, { from: '1 April' })).toThrow(/from must be/);
    expect(() => familyHistory(events, {}, { limit: 0 })).toThrow(/limit/);
  });

  it('does not name a member with a protected address to a reader without clearance', () => {
    const { commits } = decideHistory([
      step('2024-01-08', actors.navCaseworker, 'RegisterFamily', {
        familyId: 'hidden',
        district: 'Saupstad',
        members: [{ memberId: 'm-ada', name: 'Ada Skjult', birthDate: '1990-01-01', role: 'adult', protectedAddress: true }],
      }),
    ]);
    const hidden = recordedHistory('hidden', commits);
    expect(familyHistory(hidden).entries[0].label).toBe('NAV registered the family in Saupstad with a member with a protected address');
    expect(familyHistory(hidden, {}, {}, { protectedAddressClearance: true }).entries[0].label).toContain('Ada Skjult');
  });
});
