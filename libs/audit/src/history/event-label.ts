import { formatNok, type ActorRef, type FamilyEvent, type FamilyState } from '@familievedtak/domain';

/** How a member is named in a label; `hide` for members the reader may not see by name (protected address). */
export type NameOptions = { hide?: (memberId: string) => boolean };

/**
 * One readable English sentence per event, e.g. "NAV approved decision
 * economic-social-assistance for Amina". Names come from `before`, the family folded up to
 * the event (a member who joins later has no name yet; one who left keeps it).
 */
export function eventLabel(event: FamilyEvent, before: FamilyState, options: NameOptions = {}): string {
  const after = event.type === 'FamilyRegistered' || event.type === 'MemberJoined' ? withNewMembers(event, before) : before;
  const name = (id: string | null | undefined): string => {
    if (!id) return 'the family';
    if (options.hide?.(id)) return 'a member with a protected address';
    return after.members[id]?.name ?? `member ${id}`;
  };
  const names = (ids: string[]): string => (ids.length ? list(ids.map(name)) : 'the family');
  const who = actorName(event.data.by);
  const decision = (id: string) => {
    const d = before.decisions[id];
    return d ? `decision ${d.decisionType} for ${names(d.memberIds)}` : `decision ${id}`;
  };
  const needOf = (id: string) => `a need of ${name(before.needs[id]?.memberId)}`;

  switch (event.type) {
    case 'FamilyRegistered':
      return `${who} registered the family in ${event.data.district} with ${names(event.data.members.map((m) => m.memberId))}`;
    case 'MemberJoined':
      return `${who} recorded that ${name(event.data.member.memberId)} joined the household on ${event.data.joinedOn}`;
    case 'MemberLeft':
      return `${who} recorded that ${name(event.data.memberId)} left the household on ${event.data.leftOn}`;
    case 'ContactPersonJoined':
      return `${who} added ${event.data.name} to the team around the family${event.data.teamRole ? ` as ${event.data.teamRole}` : ''}`;
    case 'ContactPersonLeft':
      return `${who} recorded that ${before.team[event.data.personId]?.name ?? event.data.personId} left the team`;
    case 'CoordinatingUnitNamed':
      return `${who} named ${event.data.unit} the coordinating unit${event.data.previousUnit ? ` (was ${event.data.previousUnit})` : ''}`;
    case 'NeedExpressed':
      return `${who} recorded a need of ${name(event.data.memberId)} expressed on ${event.data.expressedOn}`;
    case 'NeedPickedUp':
      return `${who} picked up ${needOf(event.data.needId)} for ${event.data.unit}`;
    case 'NeedResolved':
      return `${who} resolved ${needOf(event.data.needId)}`;
    case 'NeedWithdrawn':
      return `${who} withdrew ${needOf(event.data.needId)}`;
    case 'ConsentGiven': {
      const c = event.data;
      const by = c.givenByMemberId === c.memberId ? '' : ` given by ${name(c.givenByMemberId)}${c.givenAsGuardian ? ' as guardian' : ''}`;
      return `${who} recorded ${c.kind} consent for ${name(c.memberId)}${by} to ${list(c.toUnits)} (${list(c.dataCategories)}) from ${c.validFrom}${c.validUntil ? ` until ${c.validUntil}` : ''}`;
    }
    case 'ConsentWithdrawn': {
      const c = before.consents[event.data.consentId];
      const what = c ? `the ${c.kind} consent for ${name(c.memberId)} to ${list(c.toUnits)}` : `consent ${event.data.consentId}`;
      return `${who} recorded that ${what} was withdrawn from ${event.data.effectiveFrom}`;
    }
    case 'DecisionProposed':
      return `${who} proposed decision ${event.data.decisionType} for ${names(event.data.memberIds)} (${event.data.periodFrom} to ${event.data.periodUntil})`;
    case 'DecisionApproved':
      return `${who} approved ${decision(event.data.decisionId)}`;
    case 'DecisionRejected':
      return `${who} rejected ${decision(event.data.decisionId)}`;
    case 'DecisionAmended':
      return `${who} amended ${decision(event.data.decisionId)}${event.data.appealId ? ' after an appeal' : ''} (now ${event.data.periodFrom} to ${event.data.periodUntil})`;
    case 'DecisionRevoked':
      return `${who} revoked ${decision(event.data.decisionId)}`;
    case 'DecisionExpired':
      return `${who} recorded that ${decision(event.data.decisionId)} expired on ${event.data.periodUntil}`;
    case 'AppealReceived':
      return `${who} received an appeal${event.data.appellantMemberId ? ` by ${name(event.data.appellantMemberId)}` : ''} against ${decision(event.data.decisionId)}${event.data.late ? ' (late)' : ''}`;
    case 'AppealDecided':
      return `${who} decided the appeal against ${decision(event.data.decisionId)}: ${event.data.outcome}`;
    case 'PaymentRecorded':
      return `${who} recorded a payment of ${formatNok(event.data.amountOre)} to ${name(event.data.recipientMemberId)} (${event.data.method}, paid ${event.data.paidOn})`;
    case 'PaymentReversed': {
      const p = before.payments[event.data.paymentId];
      return `${who} reversed a payment of ${formatNok(event.data.amountOre)}${p ? ` to ${name(p.recipientMemberId)}` : ''} on ${event.data.reversedOn}`;
    }
    case 'FamilyDecisionIssued': {
      const n = event.data.decisions.length;
      return `${who} issued a family decision bundling ${n} decision${n === 1 ? '' : 's'} (responsible unit ${event.data.responsibleUnit}, review ${event.data.reviewDate})`;
    }
    default:
      return `${who} recorded ${(event as { type: string }).type}`;
  }
}

/** The unit acts for municipal staff; partners by organisation; others (auditors) by user id. */
export function actorName(by: ActorRef): string {
  return by.unit ?? by.partnerOrganisation ?? `${by.role} ${by.userId}`;
}

function withNewMembers(event: FamilyEvent, before: FamilyState): FamilyState {
  const added = event.type === 'FamilyRegistered' ? event.data.members : event.type === 'MemberJoined' ? [event.data.member] : [];
  const members = { ...before.members };
  for (const m of added) members[m.memberId] = { ...m, status: 'current', joinedOn: '', leftOn: null };
  return { ...before, members };
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
