import { formatNok, type ActorRef, type FamilyEvent, type FamilyState } from '@familievedtak/domain';

/**
 * How a label may name things: `hide` for members the reader may not see by name (strengt
 * fortrolig adresse, kode 6); `withholdPlaces` when the family has a protected address (kode 6
 * or 7) and the reader no clearance: no district, no names of contact persons, partners or
 * sub-projects, no team roles (they tell where the family lives).
 */
export type NameOptions = {
  hide?: (memberId: string) => boolean;
  withholdPlaces?: boolean;
  /** How to name a member whose name was erased ("a member whose name was erased on …"); undefined: not erased. */
  erasedName?: (memberId: string) => string | undefined;
};

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
    // An erased name reads as '' in the fold: say so rather than print nothing.
    return options.erasedName?.(id) ?? after.members[id]?.name ?? `member ${id}`;
  };
  const names = (ids: string[]): string => (ids.length ? list(ids.map(name)) : 'the family');
  const places = !options.withholdPlaces;
  const who = actorName(event.data.by, places ? partnerNames(before) : undefined);
  const person = (personId: string, fallback = 'a contact person') => (places ? (before.team[personId]?.name ?? personId) : fallback);
  const referral = (id: string) => before.referrals?.[id];
  const decision = (id: string) => {
    const d = before.decisions[id];
    return d ? `decision ${d.decisionType} for ${names(d.memberIds)}` : `decision ${id}`;
  };
  const needOf = (id: string) => `a need of ${name(before.needs[id]?.memberId)}`;

  switch (event.type) {
    case 'FamilyRegistered':
      return `${who} registered the family${places ? ` in ${event.data.district}` : ''} with ${names(event.data.members.map((m) => m.memberId))}`;
    case 'ParentalResponsibilityRecorded':
      return `${who} recorded that ${name(event.data.holderId)} has parental responsibility for ${name(event.data.childId)} (${event.data.basis}, since ${event.data.since})`;
    case 'ParentalResponsibilityEnded':
      return `${who} recorded that the parental responsibility of ${name(event.data.holderId)} for ${name(event.data.childId)} ended`;
    case 'ReferralRecorded': {
      const ground =
        event.data.ground === 'duty-to-inform-child-welfare'
          ? 'under the duty to inform the child-welfare service (barnevernsloven § 13-2)'
          : 'under their consent';
      return `${event.data.fromUnit} referred ${names(event.data.memberIds)} to ${event.data.toUnit} ${ground}`;
    }
    case 'ReferralAccepted': {
      const r = referral(event.data.referralId);
      return `${event.data.unit} accepted a referral${r ? ` from ${r.fromUnit}` : ''} and has a part in the case from ${event.data.since}`;
    }
    case 'ReferralDeclined': {
      const r = referral(event.data.referralId);
      return `${event.data.unit} declined a referral${r ? ` from ${r.fromUnit}` : ''}`;
    }
    case 'InvolvementClosed': {
      const n = event.data.contactPersonIds.length;
      return `${event.data.unit} closed its involvement with the family${n ? ` (${n} contact person${n === 1 ? '' : 's'} left the team)` : ''}`;
    }
    case 'FamilyEnrolled': {
      const partners = event.data.partners.map((p) => p.name);
      const what = places ? `sub-project ${event.data.subProjectName}` : 'a sub-project';
      return `${who} enrolled ${names(event.data.memberIds)} in ${what} of ${event.data.responsibleUnit}${places && partners.length ? ` with ${list(partners)}` : ''}`;
    }
    case 'EnrolmentEnded': {
      const e = before.enrolments?.[event.data.enrolmentId];
      return `${who} ended the enrolment${e ? ` of ${names(e.memberIds)} in ${places ? `sub-project ${e.subProjectName}` : 'a sub-project'}` : ''}`;
    }
    case 'MemberJoined':
      return `${who} recorded that ${name(event.data.member.memberId)} joined the household on ${event.data.joinedOn}`;
    case 'MemberLeft':
      return `${who} recorded that ${name(event.data.memberId)} left the household on ${event.data.leftOn}`;
    case 'ContactPersonJoined': {
      const a = event.data.affiliation;
      if (!places) return `${who} added a contact person ${a.kind === 'unit' ? `of ${a.unit}` : 'of a partner'} to the team around the family`;
      return `${who} added ${event.data.name} to the team around the family${event.data.teamRole ? ` as ${event.data.teamRole}` : ''}`;
    }
    case 'ContactPersonLeft':
      return `${who} recorded that ${person(event.data.personId)} left the team`;
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
      const sources = c.kind === 'information-sharing' && c.sourceUnits ? `; records of ${list(c.sourceUnits)}` : '';
      return `${who} recorded ${c.kind} consent for ${name(c.memberId)}${by} to ${list(c.toUnits)} (${list(c.dataCategories)}${sources}) from ${c.validFrom}${c.validUntil ? ` until ${c.validUntil}` : ''}`;
    }
    case 'ConsentWithdrawn': {
      const c = before.consents[event.data.consentId];
      const what = c ? `the ${c.kind} consent for ${name(c.memberId)} to ${list(c.toUnits)}` : `consent ${event.data.consentId}`;
      const expressed = event.data.expressedByMemberId
        ? ` (expressed by ${name(event.data.expressedByMemberId)}${event.data.channel ? `, ${event.data.channel}` : ''})`
        : '';
      const alerted = event.data.alertedUnits?.length ? `; ${list(event.data.alertedUnits)} alerted` : '';
      return `${who} recorded that ${what} was withdrawn from ${event.data.effectiveFrom}${expressed}${alerted}`;
    }
    case 'DecisionProposed':
      return `${who} proposed decision ${event.data.decisionType} for ${names(event.data.memberIds)} (${event.data.periodFrom} to ${event.data.periodUntil})`;
    case 'DecisionApproved': {
      const from = event.data.effectiveFrom ?? before.decisions[event.data.decisionId]?.periodFrom;
      return `${who} approved ${decision(event.data.decisionId)}${from ? `, in force from ${from}` : ''}`;
    }
    case 'DecisionRejected':
      return `${who} rejected ${decision(event.data.decisionId)}`;
    case 'DecisionAmended':
      return `${who} amended ${decision(event.data.decisionId)}${event.data.appealId ? ' after an appeal' : ''} (now ${event.data.periodFrom} to ${event.data.periodUntil})${event.data.effectiveFrom ? `, from ${event.data.effectiveFrom}` : ''}`;
    case 'DecisionRevoked':
      return `${who} revoked ${decision(event.data.decisionId)}${event.data.effectiveFrom ? ` from ${event.data.effectiveFrom}` : ''}`;
    case 'AdvanceNoticeSent':
      return `${who} gave ${names(event.data.memberIds)} advance notice of the intent to ${event.data.intendedAct === 'revoke' ? 'revoke' : 'change to their detriment'} ${decision(event.data.decisionId)} (answer by ${event.data.answerBy})`;
    case 'PartyStatementReceived':
      return `${who} recorded ${name(event.data.memberId)}'s statement on the advance notice about ${decision(event.data.decisionId)}`;
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
    case 'PaymentAbandoned': {
      const why =
        event.data.reason === 'family-refused'
          ? `the family's case refused it${event.data.refusal ? ` (${event.data.refusal})` : ''}`
          : 'it could not be recorded';
      return `A payment of ${formatNok(event.data.amountOre)}${event.data.recipientMemberId ? ` to ${name(event.data.recipientMemberId)}` : ''} from a sub-project budget by ${who} was not made: ${why}; the money went back to the budget`;
    }
    case 'FamilyDecisionIssued': {
      const n = event.data.decisions.length;
      return `${who} issued a family decision bundling ${n} decision${n === 1 ? '' : 's'} (responsible unit ${event.data.responsibleUnit}, review ${event.data.reviewDate})`;
    }
    // The family's plan and a family decision that follows its parts (issue 13, engineer D).
    case 'FamilyPlanRecorded':
    case 'FamilyPlanRevised':
      return `${who} ${event.type === 'FamilyPlanRecorded' ? 'recorded' : 'revised'} the family's plan for ${names(event.data.memberIds)} (${event.data.goals.length} goal${event.data.goals.length === 1 ? '' : 's'}, coordinator from ${event.data.coordinator.unit}, review ${event.data.reviewDates[0]})`;
    case 'FamilyPlanReviewed':
      return `${who} recorded a review of the family's plan on ${event.data.on}`;
    case 'FamilyPlanEnded':
      return event.data.cause
        ? `The family's plan ended on ${event.data.endedOn}: consent ${event.data.cause.id} it rested on was withdrawn`
        : `${who} ended the family's plan on ${event.data.endedOn}`;
    case 'FamilyDecisionSuspended': {
      const { cause, effectiveFrom } = event.data;
      const why =
        cause.kind === 'consent-withdrawn'
          ? `consent ${cause.id} it relied on was withdrawn`
          : `${decision(cause.id)} was ${{ 'decision-revoked': 'revoked', 'decision-ended': 'ended', 'decision-quashed': 'quashed on appeal' }[cause.kind]}`;
      return `The family decision ${event.data.familyDecisionId} was suspended from ${effectiveFrom}: ${why}`;
    }
    // The family letter (issue 14): recipients and delivery; the notifications it carries are labelled as their own events.
    case 'LetterIssued':
      return `${who} issued letter ${event.data.letterId} to ${names(event.data.copies.map((c) => c.recipientMemberId))} (${event.data.decisionIds.length} decision${event.data.decisionIds.length === 1 ? '' : 's'}, template ${event.data.templateVersion})`;
    case 'LetterDelivered':
      return `${who} recorded that letter ${event.data.letterId} reached ${name(event.data.recipientMemberId)} on ${event.data.deliveredOn} (${event.data.channel})`;
    // Retention and erasure (issue 17): what was erased under which rule, never what it said.
    case 'PersonalDataErased':
      return `${who} erased ${event.data.keyRefs.length} record${event.data.keyRefs.length === 1 ? '' : 's'} (${event.data.categories.join(', ')}) on ${event.data.on}${event.data.rule ? ` under ${event.data.rule.scheduleId}@v${event.data.rule.version}/${event.data.rule.entry}` : ` at request ${event.data.requestId}`}`;
    case 'ErasureRequested':
      return `${who} recorded a request for erasure (GDPR art. 17) from ${name(event.data.memberId)}, received ${event.data.receivedOn}`;
    case 'ErasureRefused':
      return `${who} refused the erasure of ${event.data.keyRef} (${event.data.category}): ${event.data.provision}`;
    case 'CaseExportedForArchive':
      return `${who} exported the closed case for the archives on ${event.data.exportedOn} (${event.data.fileCount} files, up to revision ${event.data.streamRevision})`;
    default:
      return `${who} recorded ${(event as { type: string }).type}`;
  }
}

/**
 * The unit acts for municipal staff; partners by organisation (its name when the family's
 * enrolments know it, else its number; 'a partner' when names of places are withheld);
 * others (auditors) by user id.
 */
export function actorName(by: ActorRef, partners?: Map<string, string>): string {
  if (by.unit) return by.unit;
  if (by.role === 'partner' || by.partnerOrganisation) {
    if (!partners) return 'a partner';
    return (by.partnerOrganisation && partners.get(by.partnerOrganisation)) ?? by.partnerOrganisation ?? 'a partner';
  }
  return `${by.role} ${by.userId}`;
}

/** Partner names by organisation number, from the family's enrolments and team. */
function partnerNames(state: FamilyState): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of Object.values(state.enrolments ?? {})) for (const p of e.partners) names.set(p.organisationNumber, p.name);
  for (const p of Object.values(state.team))
    if (p.affiliation.kind === 'partner' && p.affiliation.organisationNumber) names.set(p.affiliation.organisationNumber, p.affiliation.organisation);
  return names;
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
