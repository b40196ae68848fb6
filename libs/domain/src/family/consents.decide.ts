import type { DecisionContext } from '../shared/decision-context';
import { InvalidPeriod } from '../shared/domain-error';
import { ageOn, parseLocalDate } from '../shared/local-date';
import { requireMunicipalActor } from '../shared/permissions';
import { idOrNew, optionalText, requireList, requireOneOf, requireText, requireUnit } from '../shared/validation';
import type { GiveConsent, WithdrawConsent } from './family.commands';
import { AlreadyExists, ConsentAlreadyWithdrawn, ConsentGiverNotPermitted } from './family.errors';
import type { ConsentGiven, ConsentWithdrawn } from './family.events';
import { requireConsent, requireCurrentMember, requireRegistered, stamp, today } from './family.guards';
import type { FamilyState, Member } from './family.state';
import { CONSENT_KINDS, DATA_CATEGORIES } from './family.values';

/**
 * Consent (samtykke) lets helpers bound by confidentiality work together: "the consent
 * arrangement solves a great deal". Withdrawal takes effect from the day it is recorded.
 */

/** From 16 a young person consents for themself (the health-law age of consent). */
export const CHILD_SELF_CONSENT_AGE = 16;

export function giveConsent(command: GiveConsent, state: FamilyState, ctx: DecisionContext): ConsentGiven[] {
  requireMunicipalActor(ctx.actor, 'record a consent');
  requireRegistered(state);
  const data = command.data;
  const consentId = idOrNew(data.consentId, 'consentId', ctx.newId);
  if (state.consents[consentId]) throw new AlreadyExists('consent', consentId);
  const member = requireCurrentMember(state, data.memberId);
  const giver = requireCurrentMember(state, data.givenByMemberId, 'givenByMemberId');
  requirePermittedGiver(member, giver, today(ctx));
  const validFrom = parseLocalDate(data.validFrom, 'validFrom');
  const validUntil = data.validUntil === undefined || data.validUntil === null ? null : parseLocalDate(data.validUntil, 'validUntil');
  if (validUntil !== null && validUntil < validFrom) throw new InvalidPeriod(validFrom, validUntil, 'The consent');
  return [
    {
      type: 'ConsentGiven',
      data: {
        consentId,
        memberId: member.memberId,
        givenByMemberId: giver.memberId,
        givenAsGuardian: giver.memberId !== member.memberId,
        kind: requireOneOf(data.kind, 'kind', CONSENT_KINDS),
        toUnits: requireList(data.toUnits, 'toUnits', 1, (v) => requireUnit(v)),
        dataCategories: requireList(data.dataCategories, 'dataCategories', 1, (v, f) => requireOneOf(v, f, DATA_CATEGORIES)),
        purpose: requireText(data.purpose, 'purpose', 500),
        validFrom,
        validUntil,
        ...stamp(ctx),
      },
    },
  ];
}

export function withdrawConsent(command: WithdrawConsent, state: FamilyState, ctx: DecisionContext): ConsentWithdrawn[] {
  requireMunicipalActor(ctx.actor, 'record that a consent was withdrawn');
  requireRegistered(state);
  const consent = requireConsent(state, command.data.consentId);
  if (consent.withdrawnFrom !== null) throw new ConsentAlreadyWithdrawn(consent.consentId);
  return [
    {
      type: 'ConsentWithdrawn',
      data: {
        consentId: consent.consentId,
        effectiveFrom: today(ctx),
        reason: optionalText(command.data.reason, 'reason', 1000),
        ...stamp(ctx),
      },
    },
  ];
}

/** An adult consents for themself; a child through an adult member (guardian), or themself from 16. */
function requirePermittedGiver(member: Member, giver: Member, date: string): void {
  if (member.role === 'adult') {
    if (giver.memberId !== member.memberId) {
      throw new ConsentGiverNotPermitted(member.memberId, giver.memberId, 'an adult gives consent for themself.');
    }
    return;
  }
  if (giver.memberId === member.memberId) {
    if (ageOn(member.birthDate, date) < CHILD_SELF_CONSENT_AGE) {
      throw new ConsentGiverNotPermitted(
        member.memberId,
        giver.memberId,
        `a child under ${CHILD_SELF_CONSENT_AGE} needs an adult guardian in the household to consent.`,
      );
    }
    return;
  }
  if (giver.role !== 'adult') {
    throw new ConsentGiverNotPermitted(member.memberId, giver.memberId, 'only an adult member (guardian) can consent for a child.');
  }
}
