import type { DecisionContext } from '../shared/decision-context';
import { InvalidDate, InvalidInput } from '../shared/domain-error';
import { addDays } from '../shared/local-date';
import { requireActorOfUnit } from '../shared/permissions';
import { idOrNew, optionalText, requireOneOf, requireText } from '../shared/validation';
import { authoriseDecision } from './decision-competence';
import { amendedTerms, MAX_REASONS_LENGTH } from './decision-terms';
import type { DecideAppeal, ReceiveAppeal } from './family.commands';
import { AlreadyExists, AppealAlreadyDecided, DecisionStatusConflict, LateAppealWithoutExcuse, NotAppealable } from './family.errors';
import type { AppealDecided, AppealReceived, DecisionAmended } from './family.events';
import { parsePastDate, requireApprover, requireAppeal, requireDecision, requireMember, requirePart, stamp } from './family.guards';
import type { FamilyState } from './family.state';
import { APPEAL_OUTCOMES } from './family.values';

/**
 * Appeals (klage) against an enkeltvedtak, forvaltningsloven §§ 28-34. The deadline is three
 * weeks from notification (§ 29); a late appeal is considered only with a recorded excuse (§ 31).
 */

export const APPEAL_DEADLINE_DAYS = 21;

export function receiveAppeal(command: ReceiveAppeal, state: FamilyState, ctx: DecisionContext): AppealReceived[] {
  requirePart(state, ctx, 'receive an appeal');
  const data = command.data;
  const decision = requireDecision(state, data.decisionId, ctx);
  requireActorOfUnit(ctx.actor, decision.unit, 'receive appeals against its decisions');
  if (!decision.enkeltvedtak) throw new NotAppealable(decision.decisionId);
  if (decision.status !== 'active' || decision.notifiedOn === null) {
    throw new DecisionStatusConflict(decision.decisionId, decision.status, 'appealed', 'active');
  }
  const appealId = idOrNew(data.appealId, 'appealId', ctx.newId);
  if (state.appeals[appealId]) throw new AlreadyExists('appeal', appealId);
  const receivedDate = parsePastDate(data.receivedDate, 'receivedDate', ctx);
  if (receivedDate < decision.notifiedOn) {
    throw new InvalidDate('receivedDate', receivedDate, `is before the decision was notified (${decision.notifiedOn})`);
  }
  const deadline = addDays(decision.notifiedOn, APPEAL_DEADLINE_DAYS);
  const late = receivedDate > deadline;
  const lateExcuse = optionalText(data.lateExcuse, 'lateExcuse', 2000);
  if (late && lateExcuse === null) {
    throw new LateAppealWithoutExcuse(decision.decisionId, deadline, receivedDate);
  }
  const appellantMemberId =
    data.appellantMemberId === undefined || data.appellantMemberId === null
      ? null
      : requireMember(state, data.appellantMemberId, 'appellantMemberId').memberId;
  return [
    {
      type: 'AppealReceived',
      data: {
        appealId,
        decisionId: decision.decisionId,
        appellantMemberId,
        grounds: optionalText(data.grounds, 'grounds', 5000),
        receivedDate,
        deadline,
        late,
        lateExcuse,
        ...stamp(ctx),
      },
    },
  ];
}

/** Upheld leaves the decision as it was; reversed amends it in the same append. */
export function decideAppeal(
  command: DecideAppeal,
  state: FamilyState,
  ctx: DecisionContext,
): (AppealDecided | DecisionAmended)[] {
  requirePart(state, ctx, 'decide an appeal');
  const data = command.data;
  const appeal = requireAppeal(state, data.appealId, ctx);
  if (appeal.status !== 'open') throw new AppealAlreadyDecided(appeal.appealId, appeal.status);
  const decision = state.decisions[appeal.decisionId];
  requireApprover(ctx.actor, decision.unit, 'decide an appeal');
  const outcome = requireOneOf(data.outcome, 'outcome', APPEAL_OUTCOMES);
  const reasons = requireText(data.reasons, 'reasons', MAX_REASONS_LENGTH);
  const decided: AppealDecided = {
    type: 'AppealDecided',
    data: { appealId: appeal.appealId, decisionId: decision.decisionId, outcome, reasons, ...stamp(ctx) },
  };
  if (outcome === 'upheld') {
    if (data.amendment !== undefined && data.amendment !== null) {
      throw new InvalidInput('amendment', 'only a reversed appeal changes the decision');
    }
    return [decided];
  }
  if (data.amendment === undefined || data.amendment === null) {
    throw new InvalidInput('amendment', 'say how the decision changes when the appeal is reversed');
  }
  const terms = amendedTerms(decision, data.amendment, reasons, true);
  const { delegation } = authoriseDecision(state, ctx, {
    unit: decision.unit,
    decisionType: decision.decisionType,
    memberIds: decision.memberIds,
    date: terms.periodFrom,
    subProject: decision.subProject,
  });
  return [
    decided,
    { type: 'DecisionAmended', data: { decisionId: decision.decisionId, ...terms, appealId: appeal.appealId, delegation, ...stamp(ctx) } },
  ];
}
