import type { DecisionContext } from '../shared/decision-context';
import { idOrNew, requireId, requireList, requireText } from '../shared/validation';
import type { EndEnrolment, EnrolInSubProject } from './family.commands';
import { AlreadyExists } from './family.errors';
import type { EnrolmentEnded, FamilyEnrolled } from './family.events';
import { requireCurrentMember, requirePart, stamp } from './family.guards';
import type { FamilyState } from './family.state';
import { ORGANISATION_NUMBER } from './family.values';
import { EnrolmentNotFound } from './parts.errors';
import { requireSameUnit } from './parts.decide';
import { SubProjectNotFound, SubProjectWasTerminated } from '../sub-project/sub-project.errors';

/**
 * Enrolment in a pilot sub-project, recorded by the sub-project's responsible unit (which must
 * have a part in the case). It is what lets the sub-project's partners act for the enrolled
 * members: public authority stays with the municipality, partners propose and carry out.
 */

export function enrolInSubProject(command: EnrolInSubProject, state: FamilyState, ctx: DecisionContext): FamilyEnrolled[] {
  const unit = requirePart(state, ctx, 'enrol members in a sub-project');
  const data = command.data;
  const subProjectId = requireId(data.subProjectId, 'subProjectId');
  const subProject = data.subProject;
  if (!subProject || subProject.subProjectId !== subProjectId) throw new SubProjectNotFound();
  if (!subProject.active) throw new SubProjectWasTerminated(subProjectId);
  requireSameUnit(unit, subProject.responsibleUnit, 'enrol members in this sub-project (its responsible unit)');
  const enrolmentId = idOrNew(data.enrolmentId, 'enrolmentId', ctx.newId);
  if (state.enrolments[enrolmentId]) throw new AlreadyExists('enrolment', enrolmentId);
  // requireList refuses a member named twice.
  const memberIds = requireList(data.memberIds, 'memberIds', 1, (v, f) => requireCurrentMember(state, v, f).memberId);
  return [
    {
      type: 'FamilyEnrolled',
      data: {
        enrolmentId,
        subProjectId,
        subProjectName: subProject.name,
        responsibleUnit: subProject.responsibleUnit,
        memberIds,
        // Only partners identified by an organisation number can ever act (tokens carry the number).
        partners: subProject.partners.filter((p) => ORGANISATION_NUMBER.test(p.organisationNumber)),
        ...stamp(ctx),
      },
    },
  ];
}

export function endEnrolment(command: EndEnrolment, state: FamilyState, ctx: DecisionContext): EnrolmentEnded[] {
  const unit = requirePart(state, ctx, 'end an enrolment');
  const enrolmentId = requireId(command.data.enrolmentId, 'enrolmentId');
  const enrolment = state.enrolments[enrolmentId];
  if (!enrolment?.active || enrolment.responsibleUnit !== unit) throw new EnrolmentNotFound(enrolmentId);
  const stillEnrolled = new Set(
    Object.values(state.enrolments)
      .filter((e) => e.active && e.enrolmentId !== enrolmentId)
      .flatMap((e) => e.partners.map((p) => p.organisationNumber)),
  );
  // Enrolled partners always carry a number, so a contact person recorded without one (schema 1) is never among them.
  const leaving = new Set<string | null>(enrolment.partners.map((p) => p.organisationNumber).filter((n) => !stillEnrolled.has(n)));
  const contactPersonIds = Object.values(state.team)
    .filter((p) => p.active && p.affiliation.kind === 'partner' && leaving.has(p.affiliation.organisationNumber))
    .map((p) => p.personId)
    .sort();
  return [{ type: 'EnrolmentEnded', data: { enrolmentId, reason: requireText(command.data.reason, 'reason', 2000), contactPersonIds, ...stamp(ctx) } }];
}
