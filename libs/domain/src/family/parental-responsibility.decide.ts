import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput } from '../shared/domain-error';
import { ageOn, type LocalDate } from '../shared/local-date';
import { optionalText, requireOneOf, requireText } from '../shared/validation';
import type { EndParentalResponsibility, ParentalResponsibilityClaim, RecordParentalResponsibility } from './family.commands';
import { AlreadyExists } from './family.errors';
import type { ParentalResponsibilityEnded, ParentalResponsibilityInput, ParentalResponsibilityRecorded } from './family.events';
import { requireCurrentMember, requirePart, stamp, today } from './family.guards';
import type { FamilyState, Member } from './family.state';
import { PARENTAL_RESPONSIBILITY_BASES } from './family.values';
import { ParentalResponsibilityNotFound } from './parts.errors';
import { ADULT_AGE } from './parts.decide';

/**
 * Parental responsibility (foreldreansvar, barneloven ch. 5) as a recorded relation between a
 * child under 18 and an adult member, with its documentary basis. Consent for a child is given
 * by its holders, never by whoever the household lists as an adult.
 */

export function recordParentalResponsibility(
  command: RecordParentalResponsibility,
  state: FamilyState,
  ctx: DecisionContext,
): ParentalResponsibilityRecorded[] {
  requirePart(state, ctx, 'record parental responsibility');
  const relation = parseClaim(command.data, '', (id, f) => requireCurrentMember(state, id, f), today(ctx));
  const existing = state.parentalResponsibility[`${relation.childId}:${relation.holderId}`];
  if (existing?.active) throw new AlreadyExists('parental responsibility', `${relation.childId}:${relation.holderId}`);
  return [{ type: 'ParentalResponsibilityRecorded', data: { ...relation, since: today(ctx), ...stamp(ctx) } }];
}

export function endParentalResponsibility(command: EndParentalResponsibility, state: FamilyState, ctx: DecisionContext): ParentalResponsibilityEnded[] {
  requirePart(state, ctx, 'end parental responsibility');
  const { childId, holderId } = command.data;
  const existing = state.parentalResponsibility[`${childId}:${holderId}`];
  if (!existing?.active) throw new ParentalResponsibilityNotFound(String(childId), String(holderId));
  return [
    {
      type: 'ParentalResponsibilityEnded',
      data: { childId: existing.childId, holderId: existing.holderId, reason: requireText(command.data.reason, 'reason', 1000), ...stamp(ctx) },
    },
  ];
}

/** A claim checked against the members: a child under 18 and a holder of 18 or over, on `date`. */
export function parseClaim(
  claim: ParentalResponsibilityClaim,
  field: string,
  member: (id: unknown, field: string) => Pick<Member, 'memberId' | 'birthDate'>,
  date: LocalDate,
): ParentalResponsibilityInput {
  if (typeof claim !== 'object' || claim === null) throw new InvalidInput(field || 'parentalResponsibility', 'must name a child and a holder');
  const prefix = field ? `${field}.` : '';
  const child = member(claim.childId, `${prefix}childId`);
  const holder = member(claim.holderId, `${prefix}holderId`);
  if (child.memberId === holder.memberId) throw new InvalidInput(`${prefix}holderId`, 'a person cannot hold parental responsibility for themself');
  if (ageOn(child.birthDate, date) >= ADULT_AGE) throw new InvalidInput(`${prefix}childId`, 'parental responsibility ends at 18 (barneloven § 30)');
  if (ageOn(holder.birthDate, date) < ADULT_AGE) throw new InvalidInput(`${prefix}holderId`, 'the holder must be 18 or over here');
  return {
    childId: child.memberId,
    holderId: holder.memberId,
    basis: claim.basis === undefined ? 'other-document' : requireOneOf(claim.basis, `${prefix}basis`, PARENTAL_RESPONSIBILITY_BASES),
    documentRef: optionalText(claim.documentRef, `${prefix}documentRef`, 200),
  };
}
