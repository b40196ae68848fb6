import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput, UnitMismatch } from '../shared/domain-error';
import { ageOn } from '../shared/local-date';
import { requireMunicipalActor } from '../shared/permissions';
import { idOrNew, requireId, requireList, requireOneOf, requireText, requireUnit } from '../shared/validation';
import type { AcceptReferral, CloseInvolvement, DeclineReferral, ReferToUnit } from './family.commands';
import { AlreadyExists } from './family.errors';
import type { InvolvementClosed, ReferralAccepted, ReferralDeclined, ReferralRecorded } from './family.events';
import { hasActivePart, requireCurrentMember, requirePart, requireRegistered, stamp, today } from './family.guards';
import { consentsInForce, familyDecisionInForce } from './family.queries';
import type { FamilyState, Referral } from './family.state';
import { REFERRAL_GROUNDS } from './family.values';
import { AlreadyHasPart, InvolvementStillNeeded, ReferralConsentMissing, ReferralNotFound, ReferralNotOpen } from './parts.errors';

/**
 * Parts in the case. A unit sees and writes to a family only with a service need (tjenstlig
 * behov, forvaltningsloven § 13): it registered the family, or accepted a referral from a unit
 * that has a part. A referral passes the members' information on, so it needs their consent
 * (forvaltningsloven § 13 a no. 1), except where the law makes informing a duty: any public
 * body must inform the child-welfare service about a child (barnevernsloven § 13-2).
 */

export const ADULT_AGE = 18;

export function referToUnit(command: ReferToUnit, state: FamilyState, ctx: DecisionContext): ReferralRecorded[] {
  const fromUnit = requirePart(state, ctx, 'refer this family to another unit');
  const data = command.data;
  const referralId = idOrNew(data.referralId, 'referralId', ctx.newId);
  if (state.referrals[referralId]) throw new AlreadyExists('referral', referralId);
  const toUnit = requireUnit(data.toUnit);
  // The referring unit has a part itself (requirePart), so referring to itself is refused here too.
  if (hasActivePart(state, toUnit)) throw new AlreadyHasPart(toUnit);
  // requireList refuses a member named twice.
  const memberIds = requireList(data.memberIds, 'memberIds', 1, (v, f) => requireCurrentMember(state, v, f).memberId);
  const ground = data.ground === undefined ? 'consent' : requireOneOf(data.ground, 'ground', REFERRAL_GROUNDS);
  const date = today(ctx);
  let consentIds: string[] = [];
  if (ground === 'duty-to-inform-child-welfare') {
    // barnevernsloven § 13-2: the duty covers concern for a child, and only towards child welfare.
    if (toUnit !== 'BFT')
      throw new InvalidInput('ground', 'the duty to inform (barnevernsloven § 13-2) applies only to referrals to the child-welfare service (BFT)');
    const adult = memberIds.find((id) => ageOn(state.members[id].birthDate, date) >= ADULT_AGE);
    if (adult)
      throw new InvalidInput(
        'memberIds',
        `the duty to inform (barnevernsloven § 13-2) concerns children; member ${adult} is 18 or over and needs their own consent`,
      );
  } else {
    consentIds = memberIds.map((memberId) => {
      const consent = consentsInForce(state, date, { memberId, kind: 'information-sharing', unit: toUnit }).find(
        (c) => c.sourceUnits === null || c.sourceUnits.includes(fromUnit),
      );
      if (!consent) throw new ReferralConsentMissing(memberId, toUnit);
      return consent.consentId;
    });
  }
  return [
    {
      type: 'ReferralRecorded',
      data: { referralId, fromUnit, toUnit, memberIds, reason: requireText(data.reason, 'reason', 2000), ground, consentIds, ...stamp(ctx) },
    },
  ];
}

/** Only the receiving unit answers; to any other unit the referral does not exist. */
function requireReferralTo(state: FamilyState, ctx: DecisionContext, referralId: unknown, action: string): Referral {
  const unit = requireMunicipalActor(ctx.actor, action);
  requireRegistered(state);
  const id = requireId(referralId, 'referralId');
  const referral = state.referrals[id];
  if (!referral || referral.toUnit !== unit) throw new ReferralNotFound(id);
  if (referral.status !== 'open') throw new ReferralNotOpen(id, referral.status);
  return referral;
}

export function acceptReferral(command: AcceptReferral, state: FamilyState, ctx: DecisionContext): ReferralAccepted[] {
  const referral = requireReferralTo(state, ctx, command.data.referralId, 'accept a referral');
  if (hasActivePart(state, referral.toUnit)) throw new AlreadyHasPart(referral.toUnit);
  return [{ type: 'ReferralAccepted', data: { referralId: referral.referralId, unit: referral.toUnit, since: today(ctx), ...stamp(ctx) } }];
}

export function declineReferral(command: DeclineReferral, state: FamilyState, ctx: DecisionContext): ReferralDeclined[] {
  const referral = requireReferralTo(state, ctx, command.data.referralId, 'decline a referral');
  return [
    {
      type: 'ReferralDeclined',
      data: { referralId: referral.referralId, unit: referral.toUnit, reason: requireText(command.data.reason, 'reason', 2000), ...stamp(ctx) },
    },
  ];
}

/**
 * A unit's involvement ends: it keeps seeing its own records only, and its contact persons
 * leave the team. Refused while the unit still carries the case: it coordinates, holds
 * decisions that are proposed or in force, is responsible for the family decision, or is the
 * only unit left with a part (nobody could then act for the family).
 */
export function closeInvolvement(command: CloseInvolvement, state: FamilyState, ctx: DecisionContext): InvolvementClosed[] {
  const unit = requirePart(state, ctx, "close the unit's involvement");
  const reason = requireText(command.data.reason, 'reason', 2000);
  if (state.coordinatingUnit === unit) throw new InvolvementStillNeeded(unit, 'it coordinates the help; name another coordinating unit first.');
  const open = Object.values(state.decisions).some((d) => d.unit === unit && (d.status === 'proposed' || d.status === 'active' || d.status === 'under-appeal'));
  if (open) throw new InvolvementStillNeeded(unit, 'it holds decisions that are proposed or in force; end them first.');
  if (familyDecisionInForce(state)?.responsibleUnit === unit) throw new InvolvementStillNeeded(unit, 'it is responsible for the family decision in force.');
  // Partners act under the enrolling unit's responsibility: it cannot leave them acting alone.
  if (Object.values(state.enrolments).some((e) => e.active && e.responsibleUnit === unit)) {
    throw new InvolvementStillNeeded(unit, 'it is responsible for active sub-project enrolments; end them first.');
  }
  const others = Object.values(state.parts).filter((p) => p.active && p.unit !== unit);
  if (others.length === 0) throw new InvolvementStillNeeded(unit, 'no other unit has a part; refer the family on first.');
  const contactPersonIds = Object.values(state.team)
    .filter((p) => p.active && p.affiliation.kind === 'unit' && p.affiliation.unit === unit)
    .map((p) => p.personId)
    .sort();
  return [{ type: 'InvolvementClosed', data: { unit, reason, contactPersonIds, ...stamp(ctx) } }];
}

/** The actor's unit must be `unit` (e.g. the sub-project's responsible unit). */
export function requireSameUnit(actorUnit: string, unit: string, action: string): void {
  if (actorUnit !== unit) throw new UnitMismatch(actorUnit, unit, action);
}
