import { recordedDay } from './decision-valid-time';
import type { FamilyEvent } from './family.events';
import type { AddressProtection, MemberDetails } from './family.values';

/**
 * Events of older schemas read as the current one (EVENT_SCHEMA_VERSION 3). Events of schema version 1 read as version 2: the fields version 2 added get the values
 * that keep the old meaning. Pure and idempotent; an event already in version 2 is returned as is.
 *
 * - members: `addressProtection` from the old `protectedAddress` flag (kode 6, the only level then);
 * - partner affiliations and need recorders: `organisationNumber` null (identified by name then,
 *   so they match no partner token now: fail closed);
 * - FamilyRegistered: no parental responsibility recorded;
 * - ConsentGiven: `sourceUnits` null (any unit's records, as before) and `evidence` null;
 * - ConsentWithdrawn: nobody named as expressing it, no channel, nobody alerted.
 *
 * Schema 2 read as schema 3 (valid time, structured reasons; docs/design/decision-lifecycle.md 3.8):
 * - DecisionProposed: outcome 'granted'; the free-text reasons become facts and summary, the legal
 *   basis the rule applied, no main considerations; childViews null (not recorded then);
 *   `enkeltvedtak` kept as the caller chose it then;
 * - DecisionApproved: decided the day recorded; effectiveFrom null (evolve reads the period start);
 * - DecisionAmended, DecisionRevoked: held from the day recorded; no § 35 ground or § 16 notice recorded.
 */
export function upcastFamilyEvent(event: FamilyEvent): FamilyEvent {
  switch (event.type) {
    case 'FamilyRegistered': {
      const data = event.data as Partial<FamilyEvent['data']> & typeof event.data;
      const members = data.members.map(upcastMember);
      const parentalResponsibility = data.parentalResponsibility ?? [];
      if (members.every((m, i) => m === data.members[i]) && data.parentalResponsibility) return event;
      return { ...event, data: { ...event.data, members, parentalResponsibility } };
    }
    case 'MemberJoined': {
      const member = upcastMember(event.data.member);
      return member === event.data.member ? event : { ...event, data: { ...event.data, member } };
    }
    case 'ContactPersonJoined': {
      const affiliation = event.data.affiliation;
      if (affiliation.kind !== 'partner' || affiliation.organisationNumber !== undefined) return event;
      return { ...event, data: { ...event.data, affiliation: { ...affiliation, organisationNumber: null } } };
    }
    case 'NeedExpressed': {
      const recorder = event.data.recordedBy;
      if (recorder.kind !== 'partner' || recorder.organisationNumber !== undefined) return event;
      return { ...event, data: { ...event.data, recordedBy: { ...recorder, organisationNumber: null } } };
    }
    case 'ConsentGiven': {
      if (event.data.sourceUnits !== undefined && event.data.evidence !== undefined) return event;
      return { ...event, data: { ...event.data, sourceUnits: event.data.sourceUnits ?? null, evidence: event.data.evidence ?? null } };
    }
    case 'ConsentWithdrawn': {
      if (event.data.alertedUnits !== undefined) return event;
      return { ...event, data: { ...event.data, expressedByMemberId: null, channel: null, alertedUnits: [] } };
    }
    case 'DecisionProposed': {
      const data = event.data;
      if (typeof data.reasons !== 'string') return event;
      const text = data.reasons;
      return {
        ...event,
        data: {
          ...event.data,
          reasons: { rulesApplied: data.legalBasis ? [data.legalBasis] : [], facts: text, mainConsiderations: null, summary: text },
          outcome: 'granted',
          childViews: null,
        },
      };
    }
    case 'DecisionApproved': {
      if (event.data.decidedOn !== undefined) return event;
      return { ...event, data: { ...event.data, decidedOn: recordedDay(event.data.at), effectiveFrom: null } };
    }
    case 'DecisionAmended': {
      if (event.data.effectiveFrom !== undefined) return event;
      return { ...event, data: { ...event.data, effectiveFrom: recordedDay(event.data.at), ground: null, advanceNotice: null } };
    }
    case 'DecisionRevoked': {
      if (event.data.effectiveFrom !== undefined) return event;
      return { ...event, data: { ...event.data, effectiveFrom: recordedDay(event.data.at), ground: null, advanceNotice: null } };
    }
    case 'EnrolmentEnded': {
      if (event.data.contactPersonIds !== undefined) return event;
      return { ...event, data: { ...event.data, contactPersonIds: [] } };
    }
    default:
      return event;
  }
}

function upcastMember(member: MemberDetails): MemberDetails {
  if (member.addressProtection !== undefined) return member;
  const addressProtection: AddressProtection = member.protectedAddress ? 'strengt-fortrolig' : 'none';
  return { ...member, addressProtection };
}
