import { foldFamily, type FamilyEvent } from '@familievedtak/domain';
import { actors, by, withSchoolEnrolled } from '../../../domain/src/testing/family.fixtures';
import { eventLabel } from './event-label';
import { membersConcerned } from './members-concerned';

/** A sub-project payment the family abandoned (process manager): who, how much, to whom, why (codes only), where the money went. */
describe('eventLabel: PaymentAbandoned', () => {
  const before = foldFamily(withSchoolEnrolled);
  const abandoned = (reason: 'family-refused' | 'not-recorded', refusal: string | null): FamilyEvent => ({
    type: 'PaymentAbandoned',
    data: { paymentId: 'pay-1', subProjectId: 'sp-1', recipientMemberId: 'm-sara', amountOre: 120_000, reason, refusal, ...by(actors.bftCaseworker) },
  });

  it('says the payment was not made and the money went back, naming the recipient as the reader may see her', () => {
    expect(eventLabel(abandoned('not-recorded', null), before)).toBe(
      'A payment of NOK 1,200.00 to Sara Hassan from a sub-project budget by BFT was not made: it could not be recorded; the money went back to the budget',
    );
    expect(eventLabel(abandoned('family-refused', 'MEMBER_NOT_CURRENT'), before, { hide: () => true })).toContain(
      "to a member with a protected address from a sub-project budget by BFT was not made: the family's case refused it (MEMBER_NOT_CURRENT)",
    );
    expect(membersConcerned(abandoned('not-recorded', null), before)).toEqual(['m-sara']);
  });
});
