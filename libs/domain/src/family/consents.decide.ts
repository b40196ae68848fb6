import type { DecisionContext } from '../shared/decision-context';
import { InvalidDate, InvalidInput, InvalidPeriod } from '../shared/domain-error';
import { ageOn, parseLocalDate, type LocalDate } from '../shared/local-date';
import { optionalText, requireList, requireOneOf, requireText, requireUnit, idOrNew } from '../shared/validation';
import type { Unit } from '../shared/units';
import type { GiveConsent, WithdrawConsent } from './family.commands';
import { AlreadyExists, ConsentAlreadyWithdrawn, ConsentGiverNotPermitted } from './family.errors';
import type { ConsentGiven, ConsentWithdrawn } from './family.events';
import { requireConsent, requireCurrentMember, requireMember, requirePart, stamp, today } from './family.guards';
import type { Consent, FamilyState, Member } from './family.state';
import { CONSENT_EVIDENCE_FORMS, CONSENT_KINDS, DATA_CATEGORIES, WITHDRAWAL_CHANNELS, type ConsentEvidence } from './family.values';
import { ADULT_AGE } from './parts.decide';

/**
 * Consent (samtykke, forvaltningsloven § 13 a no. 1) lets helpers bound by confidentiality
 * work together: "the consent arrangement solves a great deal". It is specific: whose records
 * (source units), to whom (target units), which categories, for what, until when, and how it
 * was given. Who may give it is worked out from birth dates on the day it is given:
 *
 * - from 18, a person consents for themself only;
 * - for a child under 18, the holders of parental responsibility (barneloven ch. 5), a
 *   recorded relation, never a household role;
 * - from 16, the young person consents themself in health matters (pasient- og
 *   brukerrettighetsloven § 4-3), and the parents no longer can.
 *
 * Only a unit with a part in the case records a consent or its withdrawal. A withdrawal is the
 * member's act, effective from the day it is recorded; the units that read under the consent
 * are alerted and a family decision relying on it is suspended.
 */

/** From 16 a young person consents for themself in health matters (pbrl § 4-3). */
export const CHILD_SELF_CONSENT_AGE = 16;

export function giveConsent(command: GiveConsent, state: FamilyState, ctx: DecisionContext): ConsentGiven[] {
  const unit = requirePart(state, ctx, 'record a consent');
  const data = command.data;
  const consentId = idOrNew(data.consentId, 'consentId', ctx.newId);
  if (state.consents[consentId]) throw new AlreadyExists('consent', consentId);
  const member = requireCurrentMember(state, data.memberId);
  const giver = requireCurrentMember(state, data.givenByMemberId, 'givenByMemberId');
  const kind = requireOneOf(data.kind, 'kind', CONSENT_KINDS);
  const dataCategories = requireList(data.dataCategories, 'dataCategories', 1, (v, f) => requireOneOf(v, f, DATA_CATEGORIES));
  const date = today(ctx);
  requirePermittedGiver(state, member, giver, date, { kind, dataCategories });
  const validFrom = parseLocalDate(data.validFrom, 'validFrom');
  if (data.validUntil === undefined || data.validUntil === null) {
    throw new InvalidInput('validUntil', 'is required: a consent names until when it holds');
  }
  const validUntil = parseLocalDate(data.validUntil, 'validUntil');
  if (validUntil < validFrom) throw new InvalidPeriod(validFrom, validUntil, 'The consent');
  if (validUntil < date) throw new InvalidDate('validUntil', validUntil, 'is already past: a consent must hold from today or later');
  const toUnits = uniqueUnits(requireList(data.toUnits, 'toUnits', 1, (v) => requireUnit(v)));
  const sourceUnits = kind === 'information-sharing' ? uniqueUnits(requireList(data.sourceUnits ?? [unit], 'sourceUnits', 1, (v) => requireUnit(v))) : null;
  return [
    {
      type: 'ConsentGiven',
      data: {
        consentId,
        memberId: member.memberId,
        givenByMemberId: giver.memberId,
        givenAsGuardian: giver.memberId !== member.memberId,
        kind,
        sourceUnits,
        toUnits,
        dataCategories,
        purpose: requireText(data.purpose, 'purpose', 500),
        validFrom,
        validUntil,
        evidence: parseEvidence(data.evidence, ctx),
        ...stamp(ctx),
      },
    },
  ];
}

export function withdrawConsent(command: WithdrawConsent, state: FamilyState, ctx: DecisionContext): ConsentWithdrawn[] {
  requirePart(state, ctx, 'record that a consent was withdrawn');
  const consent = requireConsent(state, command.data.consentId, ctx);
  if (consent.withdrawnFrom !== null) throw new ConsentAlreadyWithdrawn(consent.consentId);
  // The member's act: the person the consent is about, or whoever may give it for them today.
  const subject = requireMember(state, consent.memberId);
  const expressedBy = requireMember(state, command.data.expressedByMemberId, 'expressedByMemberId');
  requirePermittedGiver(state, subject, expressedBy, today(ctx), consent);
  const alerted = command.data.alertedUnits === undefined ? [] : requireList(command.data.alertedUnits, 'alertedUnits', 0, (v) => requireUnit(v));
  return [
    {
      type: 'ConsentWithdrawn',
      data: {
        consentId: consent.consentId,
        effectiveFrom: today(ctx),
        reason: optionalText(command.data.reason, 'reason', 1000),
        expressedByMemberId: expressedBy.memberId,
        channel: requireOneOf(command.data.channel, 'channel', WITHDRAWAL_CHANNELS),
        alertedUnits: uniqueUnits(alerted),
        ...stamp(ctx),
      },
    },
  ];
}

/** What the giver rules weigh of a consent: its kind and its data categories. */
export type ConsentScope = Pick<Consent, 'kind' | 'dataCategories'>;

/**
 * Whether `giver` may consent (or withdraw consent) for `member` on `date` to a consent of this
 * scope. Only an information-sharing consent passes records on, so only it can be a consent to
 * health information (pbrl § 4-3); a coordination or family-decision consent is never one,
 * whatever categories it names.
 */
export function consentGiverProblem(state: FamilyState, member: Member, giver: Member, date: LocalDate, scope: ConsentScope): string | null {
  const age = ageOn(member.birthDate, date);
  const self = giver.memberId === member.memberId;
  if (age >= ADULT_AGE) return self ? null : 'from 18 a person consents for themself only.';
  const health = scope.kind === 'information-sharing' && scope.dataCategories.includes('health');
  if (age >= CHILD_SELF_CONSENT_AGE && health) {
    if (scope.dataCategories.some((c) => c !== 'health')) {
      return 'from 16 the young person consents to health information themself (pasient- og brukerrettighetsloven § 4-3) and the parents to the rest: record two consents.';
    }
    return self ? null : 'from 16 the young person consents to health information themself (pasient- og brukerrettighetsloven § 4-3).';
  }
  if (self) return `under 18 the holders of parental responsibility consent${age >= CHILD_SELF_CONSENT_AGE ? ' (outside health matters)' : ''}.`;
  const holds = state.parentalResponsibility[`${member.memberId}:${giver.memberId}`]?.active === true;
  return holds ? null : 'for a child, only a person recorded with parental responsibility (barneloven ch. 5) may consent.';
}

function requirePermittedGiver(state: FamilyState, member: Member, giver: Member, date: LocalDate, scope: ConsentScope): void {
  const problem = consentGiverProblem(state, member, giver, date, scope);
  if (problem) throw new ConsentGiverNotPermitted(member.memberId, giver.memberId, problem);
}

/** Written: the signed form's reference. Oral: documented by the recording caseworker, now. */
function parseEvidence(value: unknown, ctx: DecisionContext): ConsentEvidence {
  const input = (value ?? {}) as Partial<Record<string, unknown>>;
  const form = requireOneOf(input.form, 'evidence.form', CONSENT_EVIDENCE_FORMS);
  if (form === 'written') return { form, documentRef: requireText(input.documentRef, 'evidence.documentRef', 200) };
  return { form, documentedBy: ctx.actor.userId, documentedAt: ctx.now.toISOString(), note: optionalText(input.note, 'evidence.note', 1000) };
}

function uniqueUnits(units: Unit[]): Unit[] {
  return [...new Set(units)];
}
