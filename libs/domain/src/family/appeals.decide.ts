import { decisionTypeEntry, type AppealRoute } from '../delegation/decision-type.catalogue';
import type { DecisionContext } from '../shared/decision-context';
import { InvalidDate, InvalidInput } from '../shared/domain-error';
import { parseLocalDate, type LocalDate } from '../shared/local-date';
import { requireActorOfUnit } from '../shared/permissions';
import { idOrNew, optionalText, requireBoolean, requireOneOf, requireText } from '../shared/validation';
import { authoriseDecision } from './decision-competence';
import { amendedTerms, MAX_REASONS_LENGTH } from './decision-terms';
import { AlreadyExists, DecisionStatusConflict, NotAppealable, SelfApproval } from './family.errors';
import { parsePastDate, requireApprover, requireAppeal, requireDecision, requireMember, requirePart, stamp, today } from './family.guards';
import type { Decision, FamilyState } from './family.state';
import { AppealBodyMismatch, AppealRequirementsMet, AppealStageConflict, SuspensionReasonsRequired } from './appeals.errors';
import {
  APPEAL_CHANNELS,
  BODY_OUTCOMES,
  LATE_EXCUSE_GROUNDS,
  OPEN_APPEAL_STAGES,
  SUSPENSION_UNTIL,
  type Appeal,
  type AppealEffect,
  type AppealEffectInput,
  type AppealEvent,
  type AppealForwarded,
  type AppealStage,
  type Appellant,
  type AssessAppealForm,
  type ChangeDecisionOnAppeal,
  type DecideSuspension,
  type DismissAppeal,
  type ForwardAppeal,
  type PrepareAppeal,
  type RecordAppealOutcome,
  type RegisterAppeal,
  type RequestSuspension,
  type AppealStanding,
  type Timeliness,
  type WithdrawAppeal,
} from './appeals.types';
import { decidedOn, partiesOf } from './notification.decide';

/**
 * Appeals (klage) as forvaltningsloven runs them. Every appeal is registered (§ 32: it is sent
 * to the unit that decided), however late or unsigned; the unit assesses the formal
 * requirements (§§ 28-32, late excused under § 31), dismisses (an appealable decision, § 2
 * third paragraph) or prepares (§ 33), then changes its decision or forwards the case to the
 * appeal body the catalogue names; the body's outcome is recorded as it arrives (§ 34). An
 * appeal never ends inside the unit unless the unit changed the decision, dismissed the appeal
 * or the appellant withdrew it.
 */

const MAX_TEXT = 5000;

/** The catalogue's appeal route of an appealable decision (fvl § 28: enkeltvedtak only). */
function appealRouteOf(decision: Decision): AppealRoute {
  const route = decisionTypeEntry(decision.decisionType).appeal;
  if (!decision.enkeltvedtak || route === null) throw new NotAppealable(decision.decisionId);
  return route;
}

function requireStage(appeal: Appeal, allowed: readonly AppealStage[], action: string, provision: string): void {
  if (!allowed.includes(appeal.stage)) throw new AppealStageConflict(appeal.appealId, appeal.stage, action, allowed, provision);
}

/** The appeal (readable by the actor) and its decision. */
function appealAndDecision(state: FamilyState, appealId: unknown, ctx: DecisionContext, action: string): { appeal: Appeal; decision: Decision } {
  requirePart(state, ctx, action);
  const appeal = requireAppeal(state, appealId, ctx);
  return { appeal, decision: state.decisions[appeal.decisionId] };
}

function oneYearAfter(date: LocalDate): LocalDate {
  return `${String(Number(date.slice(0, 4)) + 1).padStart(4, '0')}${date.slice(4)}`;
}

/** The member whose notification starts the appellant's deadline. */
function appellantPartyId(appellant: Appellant | null): string | null {
  if (!appellant) return null;
  return appellant.kind === 'member' ? appellant.memberId : appellant.forMemberId;
}

/**
 * The appellant's deadline: from the earliest recorded receipt of a notification of what is
 * appealed, sent to the appellant (fvl § 29); a legacy `notifiedOn` only when there is none. Null while none is received: the deadline does
 * not run and the appeal cannot be late (README: no presumption of receipt).
 */
export function appealDeadlineFor(state: FamilyState, appeal: Appeal): { deadline: LocalDate; notificationId: string } | null {
  const party = appellantPartyId(appeal.appellant);
  const subject = appeal.againstDismissalOf ? { kind: 'dismissal', id: appeal.againstDismissalOf } : { kind: 'decision', id: appeal.decisionId };
  let best: { deadline: LocalDate; notificationId: string; receivedOn: LocalDate; legacy: boolean } | null = null;
  for (const n of Object.values(state.notifications)) {
    if (n.subject.kind !== subject.kind || n.subject.id !== subject.id || n.receivedOn === null || n.deadline === null) continue;
    if (n.recipientMemberId !== null && n.recipientMemberId !== party) continue;
    // A recorded notification to the appellant counts before a legacy approval stamp (which named no one).
    const better = !best || (best.legacy && !n.legacy) || (best.legacy === n.legacy && n.receivedOn < best.receivedOn);
    if (better) best = { deadline: n.deadline, notificationId: n.notificationId, receivedOn: n.receivedOn, legacy: n.legacy };
  }
  return best && { deadline: best.deadline, notificationId: best.notificationId };
}

function parseAppellant(state: FamilyState, value: unknown): Appellant {
  if (typeof value !== 'object' || value === null) throw new InvalidInput('appellant', 'must be { memberId } or { representative, forMemberId }');
  const input = value as { memberId?: unknown; representative?: unknown; forMemberId?: unknown };
  if (input.representative !== undefined) {
    return {
      kind: 'representative',
      representative: requireText(input.representative, 'appellant.representative', 200),
      forMemberId: requireMember(state, input.forMemberId, 'appellant.forMemberId').memberId,
    };
  }
  return { kind: 'member', memberId: requireMember(state, input.memberId, 'appellant.memberId').memberId };
}

/** fvl §§ 28, 32: registered whatever its form or timing; only something that is not an appealable decision is refused. */
export function registerAppeal(command: RegisterAppeal, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  requirePart(state, ctx, 'register an appeal');
  const data = command.data;
  const decision = requireDecision(state, data.decisionId, ctx);
  if (decision.status === 'proposed' || decision.status === 'rejected') {
    throw new DecisionStatusConflict(decision.decisionId, decision.status, 'appealed', 'approved (in force, revoked, expired or refused)');
  }
  appealRouteOf(decision);
  const appealId = idOrNew(data.appealId, 'appealId', ctx.newId);
  if (state.appeals[appealId]) throw new AlreadyExists('appeal', appealId);
  let earliest = decidedOn(decision);
  let againstDismissalOf: string | null = null;
  if (data.againstDismissalOf !== undefined && data.againstDismissalOf !== null) {
    const dismissed = requireAppeal(state, data.againstDismissalOf, ctx);
    if (dismissed.decisionId !== decision.decisionId) throw new InvalidInput('againstDismissalOf', `appeal ${dismissed.appealId} is about another decision`);
    requireStage(dismissed, ['dismissed'], 'appealed as a dismissal', 'forvaltningsloven § 2 tredje ledd');
    againstDismissalOf = dismissed.appealId;
    earliest = dismissed.dismissal?.dismissedOn ?? earliest;
  }
  const appellant = parseAppellant(state, data.appellant);
  const receivedOn = parsePastDate(data.receivedOn, 'receivedOn', ctx);
  if (earliest && receivedOn < earliest) throw new InvalidDate('receivedOn', receivedOn, `is before what it appeals was decided (${earliest})`);
  const postedOn = data.postedOn === undefined || data.postedOn === null ? null : parseLocalDate(data.postedOn, 'postedOn');
  if (postedOn !== null && postedOn > receivedOn) throw new InvalidDate('postedOn', postedOn, `is after it was received (${receivedOn})`);
  const signed = data.signed === undefined || data.signed === null ? null : requireBoolean(data.signed, 'signed');
  return [
    {
      type: 'AppealRegistered',
      data: {
        appealId,
        decisionId: decision.decisionId,
        againstDismissalOf,
        appellant,
        receivedOn,
        postedOn,
        channel: requireOneOf(data.channel, 'channel', APPEAL_CHANNELS),
        grounds: requireText(data.grounds, 'grounds', MAX_TEXT),
        signed,
        ...stamp(ctx),
      },
    },
  ];
}

/**
 * fvl §§ 28-32: standing, specific, signed, in time (§ 30: posted by the deadline is in time) or
 * excused (§ 31 a or b), never after a year (§ 31 third paragraph). AppealStanding and timeliness are
 * computed from the record; the caseworker judges specificity, signature and any excuse.
 */
export function assessAppealForm(command: AssessAppealForm, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  const data = command.data;
  const { appeal, decision } = appealAndDecision(state, data.appealId, ctx, 'assess an appeal');
  requireActorOfUnit(ctx.actor, decision.unit, 'assess appeals against its decisions');
  requireStage(appeal, ['registered', 'assessed'], 'assessed', 'forvaltningsloven § 33');
  const specific = requireBoolean(data.specific, 'specific');
  const signed = requireBoolean(data.signed, 'signed');
  const reasons = requireText(data.reasons, 'reasons', MAX_REASONS_LENGTH);

  const party = appellantPartyId(appeal.appellant);
  const legalInterest = optionalText(data.legalInterest, 'legalInterest', MAX_TEXT);
  let standing: AppealStanding = 'none';
  let standingNote = 'not a party of the decision (forvaltningsloven § 2 (1) e), and no legal interest stated (§ 28 (1))';
  if (party !== null && partiesOf(state, decision, appeal.receivedOn).has(party)) {
    standing = 'party';
    standingNote =
      appeal.appellant?.kind === 'representative'
        ? `representative of party ${party} (forvaltningsloven § 12)`
        : 'party of the decision (forvaltningsloven § 2 (1) e)';
  } else if (legalInterest !== null) {
    standing = 'legal-interest';
    standingNote = `legal interest (forvaltningsloven § 28 (1)): ${legalInterest}`;
  }

  const computed = appealDeadlineFor(state, appeal);
  const arrivedOn = appeal.postedOn ?? appeal.receivedOn;
  const late = computed !== null && arrivedOn > computed.deadline;
  const madeOn = appeal.againstDismissalOf ? (state.appeals[appeal.againstDismissalOf]?.dismissal?.dismissedOn ?? decidedOn(decision)) : decidedOn(decision);
  const pastOneYear = madeOn !== null && appeal.receivedOn > oneYearAfter(madeOn);
  let excuse: { ground: (typeof LATE_EXCUSE_GROUNDS)[number]; explanation: string } | null = null;
  if (data.excuse !== undefined && data.excuse !== null) {
    if (!late) throw new InvalidInput('excuse', 'the appeal is in time; an excuse is for a late appeal (forvaltningsloven § 31)');
    excuse = {
      ground: requireOneOf(data.excuse.ground, 'excuse.ground', LATE_EXCUSE_GROUNDS),
      explanation: requireText(data.excuse.explanation, 'excuse.explanation', MAX_TEXT),
    };
  }
  let timeliness: Timeliness = 'in-time';
  if (late) timeliness = excuse === null || pastOneYear ? 'late-not-excused' : excuse.ground === 'not-to-blame' ? 'late-not-to-blame' : 'late-special-reasons';
  return [
    {
      type: 'AppealFormAssessed',
      data: {
        appealId: appeal.appealId,
        standing,
        standingNote,
        specific,
        signed,
        timeliness,
        deadline: computed?.deadline ?? null,
        computedFrom: computed?.notificationId ?? null,
        excuse,
        pastOneYear,
        requirementsMet: standing !== 'none' && specific && signed && timeliness !== 'late-not-excused',
        reasons,
        ...stamp(ctx),
      },
    },
  ];
}

/** fvl § 33 (2) third sentence: a requirement not met → the unit dismisses; the dismissal is appealable (§ 2 third paragraph). */
export function dismissAppeal(command: DismissAppeal, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  const { appeal, decision } = appealAndDecision(state, command.data.appealId, ctx, 'dismiss an appeal');
  requireApprover(ctx.actor, decision.unit, 'dismiss an appeal');
  requireStage(appeal, ['assessed'], 'dismissed', 'forvaltningsloven § 33 annet ledd');
  const assessment = appeal.assessment!;
  if (assessment.requirementsMet) throw new AppealRequirementsMet(appeal.appealId);
  // A dismissal decides the appellant's rights: a second person decides it (four-eyes floor, README).
  if (assessment.by.userId === ctx.actor.userId) throw new SelfApproval(appeal.appealId);
  const failed = [
    ...(assessment.standing === 'none' ? ['standing (forvaltningsloven § 28 (1))'] : []),
    ...(assessment.specific ? [] : ['specific: the decision and the change sought (forvaltningsloven § 32 (1) b)']),
    ...(assessment.signed ? [] : ['signed (forvaltningsloven § 32 (1) b)']),
    ...(assessment.timeliness === 'late-not-excused'
      ? [
          assessment.pastOneYear
            ? 'more than a year after the decision (forvaltningsloven § 31 third paragraph)'
            : 'late and not excused (forvaltningsloven §§ 29, 31)',
        ]
      : []),
  ];
  return [
    {
      type: 'AppealDismissed',
      data: {
        appealId: appeal.appealId,
        decisionId: decision.decisionId,
        dismissedOn: today(ctx),
        failed,
        reasons: requireText(command.data.reasons, 'reasons', MAX_REASONS_LENGTH),
        ...stamp(ctx),
      },
    },
  ];
}

/** fvl § 33 (1): the unit investigates what the appeal gives reason to. */
export function prepareAppeal(command: PrepareAppeal, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  const { appeal, decision } = appealAndDecision(state, command.data.appealId, ctx, 'prepare an appeal');
  requireActorOfUnit(ctx.actor, decision.unit, 'prepare appeals against its decisions');
  requireStage(appeal, ['assessed'], 'prepared', 'forvaltningsloven § 33');
  if (!appeal.assessment!.requirementsMet) {
    throw new AppealStageConflict(
      appeal.appealId,
      'assessed as failing a requirement',
      'prepared',
      ['assessed as meeting the requirements'],
      'forvaltningsloven § 33 annet ledd: dismiss it',
    );
  }
  return [
    {
      type: 'AppealPrepared',
      data: {
        appealId: appeal.appealId,
        investigations: requireText(command.data.investigations, 'investigations', MAX_TEXT),
        counterpartiesNotified: requireBoolean(command.data.counterpartiesNotified, 'counterpartiesNotified'),
        ...stamp(ctx),
      },
    },
  ];
}

/** What an appeal decision does to the decision; refused where it cannot apply to the decision's status. */
function parseEffect(input: unknown, decision: Decision, reasons: string, field: string): AppealEffect {
  if (typeof input !== 'object' || input === null) throw new InvalidInput(field, 'must say what changes: { kind: amend | reinstate | revoke, effectiveFrom }');
  const change = input as AppealEffectInput;
  const kind = requireOneOf(change.kind, `${field}.kind`, ['amend', 'reinstate', 'revoke'] as const);
  const effectiveFrom = parseLocalDate(change.effectiveFrom, `${field}.effectiveFrom`);
  if (effectiveFrom < decision.periodFrom)
    throw new InvalidDate(`${field}.effectiveFrom`, effectiveFrom, `is before the decision's period starts (${decision.periodFrom})`);
  if (kind === 'reinstate') {
    if (decision.status !== 'revoked') throw new DecisionStatusConflict(decision.decisionId, decision.status, 'reinstated', 'revoked');
    return { kind, effectiveFrom };
  }
  if (decision.status !== 'active' && decision.status !== 'under-appeal') {
    throw new DecisionStatusConflict(decision.decisionId, decision.status, kind === 'amend' ? 'amended' : 'revoked', 'active');
  }
  if (kind === 'revoke') return { kind, effectiveFrom };
  const amendment = (change as { amendment?: unknown }).amendment;
  return { kind, terms: amendedTerms(decision, amendment as never, reasons, true), effectiveFrom };
}

function forwarded(
  appeal: Appeal,
  decision: Decision,
  route: AppealRoute,
  unitStatement: string,
  copyToParty: boolean,
  remainderOnly: boolean,
  ctx: DecisionContext,
): AppealForwarded {
  return {
    type: 'AppealForwarded',
    data: {
      appealId: appeal.appealId,
      decisionId: decision.decisionId,
      body: route.body,
      provision: route.provision,
      forwardedOn: today(ctx),
      unitStatement,
      copyToParty,
      remainderOnly,
      ...stamp(ctx),
    },
  };
}

/**
 * fvl § 33 (2): the unit finds the appeal justified and changes its decision. Partly: what it
 * does not grant goes to the appeal body in the same append (Lovavdelingen 1996; README).
 * On an appeal against a dismissal the change is to hear the dismissed appeal after all.
 */
export function changeDecisionOnAppeal(command: ChangeDecisionOnAppeal, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  const data = command.data;
  const { appeal, decision } = appealAndDecision(state, data.appealId, ctx, 'change a decision on appeal');
  requireApprover(ctx.actor, decision.unit, 'change a decision on appeal');
  requireStage(appeal, ['under-preparation'], 'granted by the unit', 'forvaltningsloven § 33 annet ledd');
  const route = appealRouteOf(decision);
  const fully = requireBoolean(data.fully, 'fully');
  const reasons = requireText(data.reasons, 'reasons', MAX_REASONS_LENGTH);
  let effect: AppealEffect;
  if (appeal.againstDismissalOf) {
    if (data.change !== undefined && data.change !== null)
      throw new InvalidInput('change', 'an appeal against a dismissal is granted by hearing the dismissed appeal; it changes no decision terms');
    if (!fully) throw new InvalidInput('fully', 'a dismissal is reversed or not; there is nothing to grant in part');
    effect = { kind: 'reopen-appeal', appealId: appeal.againstDismissalOf };
  } else {
    effect = parseEffect(data.change, decision, reasons, 'change');
    // The unit decides anew: it must still hold the competence (delegation in force today).
    authoriseDecision(state, ctx, {
      unit: decision.unit,
      decisionType: decision.decisionType,
      memberIds: decision.memberIds,
      date: decision.periodFrom,
      subProject: decision.subProject,
    });
  }
  const granted: AppealEvent = {
    type: 'AppealGrantedByUnit',
    data: { appealId: appeal.appealId, decisionId: decision.decisionId, fully, reasons, effect, ...stamp(ctx) },
  };
  if (fully) {
    if (data.unitStatement !== undefined && data.unitStatement !== null)
      throw new InvalidInput('unitStatement', 'nothing is forwarded when the appeal is granted in full');
    return [granted];
  }
  const unitStatement = requireText(data.unitStatement, 'unitStatement', MAX_TEXT);
  return [granted, forwarded(appeal, decision, route, unitStatement, true, true, ctx)];
}

/** fvl § 33 (4): not changed → the documents go to the appeal body, which the law names (catalogue), never the request. */
export function forwardAppeal(command: ForwardAppeal, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  const data = command.data;
  const { appeal, decision } = appealAndDecision(state, data.appealId, ctx, 'forward an appeal');
  requireApprover(ctx.actor, decision.unit, 'forward an appeal');
  requireStage(appeal, ['under-preparation'], 'forwarded', 'forvaltningsloven § 33 fjerde ledd');
  const route = appealRouteOf(decision);
  if (data.appealBody !== undefined && data.appealBody !== null && data.appealBody !== route.body) {
    throw new AppealBodyMismatch(String(data.appealBody), route.body, route.provision);
  }
  return [
    forwarded(appeal, decision, route, requireText(data.unitStatement, 'unitStatement', MAX_TEXT), requireBoolean(data.copyToParty, 'copyToParty'), false, ctx),
  ];
}

/**
 * fvl § 34: the appeal body's decision, as its letter says (upheld, changed, quashed and returned,
 * dismissed), recorded by the deciding unit with the body's date and reference. The municipality
 * records it; it never decides it.
 */
export function recordAppealOutcome(command: RecordAppealOutcome, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  const data = command.data;
  const { appeal, decision } = appealAndDecision(state, data.appealId, ctx, 'record an appeal outcome');
  requireActorOfUnit(ctx.actor, decision.unit, 'record the appeal body’s outcome on its decisions');
  requireStage(appeal, ['forwarded'], 'given an outcome', 'forvaltningsloven § 34: only the appeal body decides it, after the unit forwarded it');
  const outcome = requireOneOf(data.outcome, 'outcome', BODY_OUTCOMES);
  const decidedOnBody = parsePastDate(data.decidedOn, 'decidedOn', ctx);
  const forwardedOn = appeal.forwarded!.forwardedOn;
  if (decidedOnBody < forwardedOn) throw new InvalidDate('decidedOn', decidedOnBody, `is before the appeal was forwarded (${forwardedOn})`);
  const receivedOn = parsePastDate(data.receivedOn, 'receivedOn', ctx);
  if (receivedOn < decidedOnBody) throw new InvalidDate('receivedOn', receivedOn, `is before the body decided (${decidedOnBody})`);
  const summary = requireText(data.summary, 'summary', MAX_REASONS_LENGTH);
  const hasEffect = data.effect !== undefined && data.effect !== null;
  let effect: AppealEffect | null = null;
  if (appeal.againstDismissalOf) {
    if (hasEffect) throw new InvalidInput('effect', 'an appeal against a dismissal changes no decision terms');
    if (outcome === 'changed' || outcome === 'quashed-returned') effect = { kind: 'reopen-appeal', appealId: appeal.againstDismissalOf };
  } else if (outcome === 'changed') {
    if (!hasEffect) throw new InvalidInput('effect', 'say how the appeal body changed the decision: amend, reinstate or revoke, from which date');
    effect = parseEffect(data.effect, decision, summary, 'effect');
  } else if (hasEffect) {
    throw new InvalidInput('effect', `an outcome '${outcome}' does not change the decision; only 'changed' does`);
  }
  return [
    {
      type: 'AppealOutcomeRecorded',
      data: {
        appealId: appeal.appealId,
        decisionId: decision.decisionId,
        body: appeal.forwarded!.body,
        outcome,
        decidedOn: decidedOnBody,
        receivedOn,
        reference: requireText(data.reference, 'reference', 200),
        summary,
        effect,
        ...stamp(ctx),
      },
    },
  ];
}

/** The appellant may withdraw a pending appeal; any unit with a part and sight of it records their word. */
export function withdrawAppeal(command: WithdrawAppeal, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  const { appeal } = appealAndDecision(state, command.data.appealId, ctx, 'withdraw an appeal');
  requireStage(appeal, OPEN_APPEAL_STAGES, 'withdrawn', 'an appeal that is still pending');
  const withdrawnOn = parsePastDate(command.data.withdrawnOn, 'withdrawnOn', ctx);
  if (withdrawnOn < appeal.receivedOn) throw new InvalidDate('withdrawnOn', withdrawnOn, `is before the appeal was received (${appeal.receivedOn})`);
  return [
    { type: 'AppealWithdrawn', data: { appealId: appeal.appealId, withdrawnOn, note: optionalText(command.data.note, 'note', MAX_TEXT), ...stamp(ctx) } },
  ];
}

/** fvl § 42: the party may ask that the decision is not carried out until the appeal is decided. */
export function requestSuspension(command: RequestSuspension, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  const { appeal, decision } = appealAndDecision(state, command.data.appealId, ctx, 'record a request for suspended execution');
  requireActorOfUnit(ctx.actor, decision.unit, 'record requests about its decisions');
  requireStage(appeal, OPEN_APPEAL_STAGES, 'asked to suspend execution', 'forvaltningsloven § 42: while the appeal is pending');
  if (appeal.suspension.requestedOn !== null) throw new AlreadyExists('suspension request for appeal', appeal.appealId);
  const requestedOn = parsePastDate(command.data.requestedOn, 'requestedOn', ctx);
  return [{ type: 'ExecutionSuspensionRequested', data: { appealId: appeal.appealId, decisionId: decision.decisionId, requestedOn, ...stamp(ctx) } }];
}

/** fvl § 42: the deciding unit grants suspended execution, or refuses it with reasons (§ 42 (2)). */
export function decideSuspension(command: DecideSuspension, state: FamilyState, ctx: DecisionContext): AppealEvent[] {
  const data = command.data;
  const { appeal, decision } = appealAndDecision(state, data.appealId, ctx, 'decide on suspended execution');
  requireApprover(ctx.actor, decision.unit, 'decide on suspended execution');
  requireStage(appeal, OPEN_APPEAL_STAGES, 'given a decision on suspended execution', 'forvaltningsloven § 42: while the appeal is pending');
  if (appeal.suspension.decision !== null) throw new AlreadyExists('suspension decision for appeal', appeal.appealId);
  const granted = requireBoolean(data.granted, 'granted');
  const reasons = optionalText(data.reasons, 'reasons', MAX_REASONS_LENGTH);
  const base = { appealId: appeal.appealId, decisionId: decision.decisionId };
  if (!granted) {
    if (reasons === null) throw new SuspensionReasonsRequired(appeal.appealId);
    return [{ type: 'ExecutionSuspensionRefused', data: { ...base, reasons, ...stamp(ctx) } }];
  }
  const until = data.until === undefined ? 'appeal-decided' : requireOneOf(data.until, 'until', SUSPENSION_UNTIL);
  return [{ type: 'ExecutionSuspended', data: { ...base, from: today(ctx), until, reasons, ...stamp(ctx) } }];
}
