import { decideHistory } from '../../../projections/src/family-view/testing/family-history';
import { actors, HASSAN, hassanHistory, hassanSteps, hassanStepsWith, SCHOOL, step } from '../../../projections/src/family-view/testing/hassan-family';
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
    expect(approved.label).toBe('NAV approved decision economic-social-assistance for Amina Hassan and Yusuf Hassan, in force from 2024-02-01');
    expect(approved.actor.userId).toBe('ola.nav');
    expect(approved.category).toBe('decisions');
    const raw = events[approved.revision].data as { delegation: { ruleSetId: string; ruleSetVersion: number; ruleId: string } };
    expect(approved.delegation).toEqual(raw.delegation);
    expect(approved.delegation!.ruleId).toEqual(expect.any(String));
    expect(approved.memberIds).toEqual(['m-amina', 'm-yusuf']);
    expect(find('DecisionRevoked')).toMatchObject({
      label: 'BFT revoked decision coordinator-child for Leila Hassan from 2024-04-10',
      effectiveFrom: '2024-04-10',
    });
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
    const partnerNeed = find('NeedExpressed', (e) => e.actor.role === 'partner' && e.recordedAt.startsWith('2024-02-20'));
    expect(partnerNeed.actor.partnerOrganisation).toBe(SCHOOL);
    expect(partnerNeed.consentsReliedOn).toEqual([]);
  });

  it('no longer relies on a consent once it is withdrawn', () => {
    const withdrawal = find('ConsentWithdrawn');
    expect(withdrawal.label).toBe(
      'NAV recorded that the information-sharing consent for Yusuf Hassan to NAV, BFT, HVK and INN was withdrawn from 2024-05-01 (expressed by Yusuf Hassan, in-writing); BFT and HVK alerted',
    );
    const later = all.filter(
      (e) => e.revision > withdrawal.revision && e.memberIds.includes('m-yusuf') && e.actor.unit === 'NAV' && e.type !== 'FamilyDecisionIssued',
    );
    expect(later.length).toBeGreaterThan(0);
    for (const e of later) expect(e.consentsReliedOn).not.toContain('c-yusuf-info');
  });

  it('filters by unit: the acting unit or the unit of the decision the event is about', () => {
    const inn = familyHistory(events, { unit: 'INN' }, { limit: 1000 }).entries;
    expect(inn.map((e) => e.type)).toEqual(['ReferralRecorded', 'ReferralAccepted', 'DecisionProposed', 'DecisionApproved', 'NeedPickedUp', 'DecisionExpired']);
    // OPPVEKST acted only on its own fee reductions (after BFT referred Sara); BFT's consent naming OPPVEKST is BFT's act.
    const oppvekst = familyHistory(events, { unit: 'OPPVEKST' }, { limit: 1000 }).entries;
    expect(oppvekst.map((e) => e.label)).toEqual([
      'BFT referred Sara Hassan to OPPVEKST under their consent',
      'OPPVEKST accepted a referral from BFT and has a part in the case from 2024-01-11',
      'OPPVEKST proposed decision kindergarten-fee-reduction for Omar Hassan (2024-01-01 to 2024-06-30)',
      'OPPVEKST proposed decision after-school-fee-reduction for Sara Hassan (2024-01-01 to 2024-05-31)',
      'OPPVEKST approved decision kindergarten-fee-reduction for Omar Hassan, in force from 2024-01-01',
      'OPPVEKST approved decision after-school-fee-reduction for Sara Hassan, in force from 2024-01-01',
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
    // Kode 6: not the member, and not the district (it tells where she lives).
    expect(familyHistory(hidden).entries[0].label).toBe('NAV registered the family with a member with a protected address');
    expect(familyHistory(hidden, {}, {}, { protectedAddressClearance: true }).entries[0].label).toBe('NAV registered the family in Saupstad with Ada Skjult');
  });

  it('labels the part in the case: referrals and their answers, enrolments, parental responsibility', () => {
    expect(find('ReferralRecorded', (e) => e.label.includes('to BFT')).label).toBe(
      'NAV referred Leila Hassan and Sara Hassan to BFT under the duty to inform the child-welfare service (barnevernsloven § 13-2)',
    );
    expect(find('ReferralAccepted', (e) => e.label.startsWith('BFT')).label).toBe(
      'BFT accepted a referral from NAV and has a part in the case from 2024-01-09',
    );
    expect(find('ReferralAccepted', (e) => e.label.startsWith('OPPVEKST')).label).toBe(
      'OPPVEKST accepted a referral from BFT and has a part in the case from 2024-01-11',
    );
    expect(find('ReferralRecorded', (e) => e.label.includes('to INN')).label).toBe('NAV referred Yusuf Hassan to INN under their consent');
    const accepted = find('ReferralAccepted', (e) => e.label.startsWith('INN'));
    expect(accepted).toMatchObject({ category: 'parts', memberIds: ['m-yusuf'] });
    expect(find('FamilyEnrolled').label).toBe('BFT enrolled Sara Hassan in sub-project Barnas stemme of BFT with Saupstad skole');
    expect(find('FamilyEnrolled').category).toBe('enrolments');
    // The school writes as its organisation (its name from the enrolment), never as a unit.
    expect(find('NeedExpressed', (e) => e.actor.role === 'partner' && e.label.includes('2024-02-20')).label).toBe(
      'Saupstad skole recorded a need of Sara Hassan expressed on 2024-02-20',
    );
  });

  it('labels a unit closing its involvement', () => {
    const closed = recordedHistory(
      HASSAN,
      decideHistory([...hassanSteps, step('2024-06-05', actors.innCaseworker, 'CloseInvolvement', { reason: 'The programme is over.' })]).commits,
    );
    const entry = familyHistory(closed, { types: ['InvolvementClosed'] }).entries[0];
    expect(entry).toMatchObject({ label: 'INN closed its involvement with the family', category: 'parts', memberIds: [] });
  });

  it("kode 7 without clearance: names stay, but no district, contact person, partner or sub-project name, nor the partner's number", () => {
    const kode7 = recordedHistory(HASSAN, decideHistory(hassanStepsWith({ 'm-amina': 'fortrolig' })).commits);
    const entries = familyHistory(kode7, {}, { limit: 1000 }).entries;
    const label = (type: string, pred: (e: HistoryEntry) => boolean = () => true) => entries.filter((e) => e.type === type && pred(e)).map((e) => e.label);
    expect(label('FamilyRegistered')).toEqual(['NAV registered the family with Amina Hassan, Yusuf Hassan, Leila Hassan, Sara Hassan and Omar Hassan']);
    expect(label('ContactPersonJoined')).toEqual([
      'NAV added a contact person of NAV to the team around the family',
      'BFT added a contact person of BFT to the team around the family',
    ]);
    expect(label('FamilyEnrolled')).toEqual(['BFT enrolled Sara Hassan in a sub-project of BFT']);
    expect(label('NeedExpressed', (e) => e.actor.role === 'partner')).toEqual([
      'a partner recorded a need of Sara Hassan expressed on 2024-02-20',
      'a partner recorded a need of Sara Hassan expressed on 2024-05-10',
    ]);
    expect(entries.every((e) => e.actor.partnerOrganisation === null)).toBe(true);
    const text = JSON.stringify(entries);
    for (const leak of ['Heimdal', 'Kari Nordmann', 'Siri Berg', 'Barnas stemme', 'Saupstad', SCHOOL])
      expect([leak, text.includes(leak)]).toEqual([leak, false]);
    // With the clearance, all of it.
    expect(familyHistory(kode7, { types: ['FamilyRegistered'] }, {}, { protectedAddressClearance: true }).entries[0].label).toContain('in Heimdal');
  });
});
