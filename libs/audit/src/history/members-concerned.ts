import type { FamilyEvent, FamilyState } from '@familievedtak/domain';

/**
 * The members an event is about: those it names (memberId, memberIds, recipient, consent
 * giver, appellant, the registered or joining members, the referred or enrolled members, the
 * child and holder of parental responsibility) and, for events that only name a record
 * (approval of a decision, reversal of a payment, withdrawal of a consent, the answer to a
 * referral, the end of an enrolment, ...), the members of that record in `before`, the family
 * folded up to the event. An event about the whole family (a family-wide need, the team,
 * coordination, a unit closing its involvement) names no one: [].
 */
export function membersConcerned(event: FamilyEvent, before: FamilyState): string[] {
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => id && ids.add(id);
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'FamilyRegistered':
      event.data.members.forEach((m) => add(m.memberId));
      break;
    case 'MemberJoined':
      add(event.data.member.memberId);
      break;
    case 'NeedPickedUp':
    case 'NeedResolved':
    case 'NeedWithdrawn':
      add(before.needs[event.data.needId]?.memberId);
      break;
    case 'ConsentWithdrawn': {
      const consent = before.consents[event.data.consentId];
      add(consent?.memberId);
      add(consent?.givenByMemberId);
      break;
    }
    case 'PaymentReversed':
      add(before.payments[event.data.paymentId]?.recipientMemberId);
      break;
    case 'ReferralAccepted':
    case 'ReferralDeclined':
      before.referrals?.[event.data.referralId]?.memberIds.forEach(add);
      break;
    case 'EnrolmentEnded':
      before.enrolments?.[event.data.enrolmentId]?.memberIds.forEach(add);
      break;
    case 'ParentalResponsibilityRecorded':
    case 'ParentalResponsibilityEnded':
      add(event.data.childId);
      add(event.data.holderId);
      break;
    case 'FamilyDecisionIssued':
      event.data.decisions.forEach((included) => included.memberIds.forEach(add));
      break;
    default:
      break;
  }
  add(typeof d.memberId === 'string' ? d.memberId : null);
  if (Array.isArray(d.memberIds)) (d.memberIds as string[]).forEach(add);
  add(typeof d.recipientMemberId === 'string' ? d.recipientMemberId : null);
  add(typeof d.givenByMemberId === 'string' ? d.givenByMemberId : null);
  add(typeof d.appellantMemberId === 'string' ? d.appellantMemberId : null);
  // Decision events other than the proposal name only the decision: its members are in the fold.
  if (typeof d.decisionId === 'string' && event.type !== 'DecisionProposed') before.decisions[d.decisionId]?.memberIds.forEach(add);
  return [...ids].sort();
}
