import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput, UnitMismatch } from '../shared/domain-error';
import { ageOn, type LocalDate } from '../shared/local-date';
import { requireMunicipalActor } from '../shared/permissions';
import { idOrNew, requireId, requireList, requireOneOf, requireText, requireUnit } from '../shared/validation';
import type { AcceptReferral, CloseInvolvement, DeclineReferral, ReferToUnit } from './family.commands';
import { AlreadyExists } from './family.errors';
import type { InvolvementClosed, ReferralAccepted, ReferralDeclined, ReferralRecorded } from './family.events';
import { hasActivePart, refuseErased, requireCurrentMember, requirePart, requireRegistered, stamp, today } from './family.guards';
import { consentsInForce, familyDecisionInForce } from './family.queries';
import type { DecisionStatus, FamilyState, Referral } from './family.state';
import { OPEN_APPEAL_STAGES } from './appeals.types';
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
  // GDPR art. 17: a referral whose reason was erased cannot be answered (its reason is what the unit decides on).
  refuseErased(state, `case/${id}`, 'referral');
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
 * decisions that are proposed or in force, is responsible for the family decision, or for
 * active sub-project enrolments.
 *
 * The last unit with a part closes the case with its involvement (`caseClosed: true`, the
 * retention schedule's case-closed anchor) when nothing of the case still needs a unit
 * (caseStillNeeds): the whole team leaves with it and nobody can write to the family any more.
 * The case reopens when a unit takes a part again: a referral still open at the closing is
 * accepted (ReferralAccepted grants the part; caseClosedOn is null again until the next closing).
 */
export function closeInvolvement(command: CloseInvolvement, state: FamilyState, ctx: DecisionContext): InvolvementClosed[] {
  const unit = requirePart(state, ctx, "close the unit's involvement");
  const reason = requireText(command.data.reason, 'reason', 2000);
  const last = !Object.values(state.parts).some((p) => p.active && p.unit !== unit);
  // The coordination ends with the case: only while another unit stays must a new coordinator be named first.
  if (!last && state.coordinatingUnit === unit) throw new InvolvementStillNeeded(unit, 'it coordinates the help; name another coordinating unit first.');
  const open = Object.values(state.decisions).some((d) => d.unit === unit && OPEN_DECISION.includes(d.status));
  if (open) throw new InvolvementStillNeeded(unit, 'it holds decisions that are proposed or in force; end them first.');
  if (familyDecisionInForce(state)?.responsibleUnit === unit) throw new InvolvementStillNeeded(unit, 'it is responsible for the family decision in force.');
  // Partners act under the enrolling unit's responsibility: it cannot leave them acting alone.
  if (Object.values(state.enrolments).some((e) => e.active && e.responsibleUnit === unit)) {
    throw new InvolvementStillNeeded(unit, 'it is responsible for active sub-project enrolments; end them first.');
  }
  if (last) {
    const needed = caseStillNeeds(state, today(ctx));
    if (needed.length > 0) throw new InvolvementStillNeeded(unit, `it is the last unit with a part, and the case cannot close while ${needed.join('; ')}.`);
  }
  // Closing the case: every contact person leaves (partners' too: their enrolments have ended).
  const contactPersonIds = Object.values(state.team)
    .filter((p) => p.active && (last || (p.affiliation.kind === 'unit' && p.affiliation.unit === unit)))
    .map((p) => p.personId)
    .sort();
  return [{ type: 'InvolvementClosed', data: { unit, reason, contactPersonIds, ...(last ? { caseClosed: true } : {}), ...stamp(ctx) } }];
}

const OPEN_DECISION: readonly DecisionStatus[] = ['proposed', 'active', 'under-appeal'];

/**
 * What keeps a case open when its last unit wants to close it: each a reason with its provision,
 * empty when the case may close. Not holding it open: consents in force (they end by their own
 * dates or withdrawal, the consent-ended anchor), an open referral (the receiving unit answers it;
 * accepting reopens the case), payments (the family's stream records a payment once it is made;
 * a sub-project spend in flight is completed or given back by the recovery pass), a notification
 * with no recorded receipt (no presumption of receipt: its deadline does not run).
 */
export function caseStillNeeds(state: FamilyState, day: LocalDate): string[] {
  const needs: string[] = [];
  // fvl §§ 2, 35: a decision proposed or in force needs a unit answerable for it (to decide, amend, revoke or expire it).
  if (Object.values(state.decisions).some((d) => OPEN_DECISION.includes(d.status)))
    needs.push('decisions are proposed or in force: end them first (forvaltningsloven §§ 2, 35)');
  // fvl § 33: the unit that decided prepares an appeal and sends it on; an open appeal needs it.
  if (Object.values(state.appeals).some((a) => OPEN_APPEAL_STAGES.includes(a.stage)))
    needs.push('an appeal is open: it is prepared and sent on by the unit that decided (forvaltningsloven § 33)');
  // fvl § 29: while a notified party may still appeal in time, the unit that decided must be there to register and prepare it (§§ 32-33).
  const deadlines = Object.values(state.notifications ?? {}).filter((n) => n.deadline !== null && n.deadline >= day);
  if (deadlines.length > 0) {
    const last = deadlines.map((n) => n.deadline as LocalDate).reduce((a, b) => (a > b ? a : b));
    needs.push(`a party may still appeal until ${last} (forvaltningsloven § 29)`);
  }
  if (familyDecisionInForce(state)) needs.push('a family decision is in force: its review date and contact person need a unit');
  if (Object.values(state.familyPlans ?? {}).some((p) => p.status === 'active')) {
    needs.push('the family plan is active: end it first (helse- og omsorgstjenesteloven § 7-1, its coordinator § 7-2)');
  }
  if (Object.values(state.enrolments).some((e) => e.active)) needs.push('a sub-project enrolment is active: end it first (partners act only under it)');
  // fvl § 11 a: what the family asked is answered without undue delay; nobody could answer it once the case is closed.
  if (Object.values(state.needs).some((n) => n.status === 'open'))
    needs.push('needs are still open: resolve or withdraw them first (forvaltningsloven § 11 a)');
  return needs;
}

/** The actor's unit must be `unit` (e.g. the sub-project's responsible unit). */
export function requireSameUnit(actorUnit: string, unit: string, action: string): void {
  if (actorUnit !== unit) throw new UnitMismatch(actorUnit, unit, action);
}
