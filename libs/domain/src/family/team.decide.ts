import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput, UnitMismatch } from '../shared/domain-error';
import type { Unit } from '../shared/units';
import { optionalText, requireId, requireText, requireUnit } from '../shared/validation';
import type { JoinContactPerson, LeaveContactPerson, NameCoordinatingUnit } from './family.commands';
import { ConsentMissing, ContactPersonAlreadyInTeam, ContactPersonNotFound, CoordinatingUnitNotInTeam } from './family.errors';
import type { ContactPersonJoined, ContactPersonLeft, CoordinatingUnitNamed } from './family.events';
import { enrolmentsOf, hasActivePart, requirePart, stamp, today } from './family.guards';
import { activeTeam, consentsInForce, currentAdults } from './family.queries';
import type { FamilyState } from './family.state';
import { ORGANISATION_NUMBER, type Affiliation } from './family.values';
import { NoPartInCase } from './parts.errors';

/**
 * The team around the family is a list of people from units and partners. One unit
 * coordinates, but the seed warns against one coordinator carrying everything.
 *
 * Who changes it: a unit with a part adds and removes its own contact persons; the
 * coordinating unit may add or remove anyone's. A partner's contact person joins only while the
 * partner is enrolled with the family, added by the coordinating unit or by the enrolling
 * (responsible) unit. Naming a coordinating unit needs every current adult's recorded consent
 * to coordination by that unit (kind 'coordination').
 */

export function joinContactPerson(command: JoinContactPerson, state: FamilyState, ctx: DecisionContext): ContactPersonJoined[] {
  const unit = requirePart(state, ctx, 'add a contact person to the team');
  const personId = requireId(command.data.personId, 'personId');
  if (state.team[personId]?.active) throw new ContactPersonAlreadyInTeam(personId);
  const affiliation = parseAffiliation(command.data.affiliation);
  requireMayManage(state, unit, affiliation, 'add this contact person');
  if (affiliation.kind === 'unit' && !hasActivePart(state, affiliation.unit))
    throw new NoPartInCase(`add a contact person from ${affiliation.unit}`, affiliation.unit);
  // A partner's name comes from the enrolment, never from the caller.
  const recorded = affiliation.kind === 'partner' ? { ...affiliation, organisation: enrolledPartnerName(state, affiliation.organisationNumber) } : affiliation;
  return [
    {
      type: 'ContactPersonJoined',
      data: {
        personId,
        name: requireText(command.data.name, 'name', 200),
        affiliation: recorded,
        teamRole: optionalText(command.data.teamRole, 'teamRole', 100),
        ...stamp(ctx),
      },
    },
  ];
}

export function leaveContactPerson(command: LeaveContactPerson, state: FamilyState, ctx: DecisionContext): ContactPersonLeft[] {
  const unit = requirePart(state, ctx, 'remove a contact person from the team');
  const personId = requireId(command.data.personId, 'personId');
  const person = state.team[personId];
  if (!person?.active) throw new ContactPersonNotFound(personId);
  requireMayManage(state, unit, person.affiliation, 'remove this contact person', true);
  return [{ type: 'ContactPersonLeft', data: { personId, ...stamp(ctx) } }];
}

/** Naming the unit already coordinating is a no-op, so a retried request appends nothing. */
export function nameCoordinatingUnit(command: NameCoordinatingUnit, state: FamilyState, ctx: DecisionContext): CoordinatingUnitNamed[] {
  requirePart(state, ctx, 'name the coordinating unit');
  const unit = requireUnit(command.data.unit);
  if (unit === state.coordinatingUnit) return [];
  if (!hasActivePart(state, unit)) throw new NoPartInCase(`name ${unit} coordinating unit`, unit);
  const represented = activeTeam(state).some((p) => p.affiliation.kind === 'unit' && p.affiliation.unit === unit);
  if (!represented) throw new CoordinatingUnitNotInTeam(unit);
  const date = today(ctx);
  const missing = currentAdults(state)
    .filter((adult) => consentsInForce(state, date, { memberId: adult.memberId, kind: 'coordination', unit }).length === 0)
    .map((adult) => adult.memberId);
  if (missing.length > 0) throw new ConsentMissing(missing, [unit], 'coordination');
  return [{ type: 'CoordinatingUnitNamed', data: { unit, previousUnit: state.coordinatingUnit, ...stamp(ctx) } }];
}

/**
 * Own contact persons, or anyone's as the coordinating unit; partners also by the unit that
 * enrolled them. `removing`: the enrolling unit may take a partner's contact person off the team
 * after the enrolment ended too (else, with no coordinating unit, nobody could).
 */
function requireMayManage(state: FamilyState, unit: Unit, affiliation: Affiliation, action: string, removing = false): void {
  if (state.coordinatingUnit === unit) return;
  if (affiliation.kind === 'unit') {
    if (affiliation.unit !== unit) throw new UnitMismatch(unit, affiliation.unit, `${action} (or the coordinating unit)`);
    return;
  }
  const enrolments = removing
    ? Object.values(state.enrolments).filter((e) => e.partners.some((p) => p.organisationNumber === affiliation.organisationNumber))
    : enrolmentsOf(state, affiliation.organisationNumber);
  const enrolling = enrolments.some((e) => e.responsibleUnit === unit);
  if (!enrolling) {
    throw new UnitMismatch(unit, state.coordinatingUnit ?? 'the unit that enrolled the partner', `${action}`);
  }
}

/** The partner's name as an active enrolment names it; a partner not enrolled does not join. */
function enrolledPartnerName(state: FamilyState, organisationNumber: string | null): string {
  const partner = enrolmentsOf(state, organisationNumber)
    .flatMap((e) => e.partners)
    .find((p) => p.organisationNumber === organisationNumber);
  if (!partner) {
    throw new InvalidInput('affiliation.organisationNumber', 'a partner joins the team only while it is enrolled with this family through a sub-project');
  }
  return partner.name;
}

function parseAffiliation(value: unknown): Affiliation {
  const input = value as Partial<Record<string, unknown>> | null | undefined;
  if (input?.kind === 'unit') return { kind: 'unit', unit: requireUnit(input.unit) };
  if (input?.kind === 'partner') {
    const organisationNumber = requireText(input.organisationNumber, 'affiliation.organisationNumber', 9);
    if (!ORGANISATION_NUMBER.test(organisationNumber)) throw new InvalidInput('affiliation.organisationNumber', 'must be the 9-digit organisation number');
    const organisation =
      input.organisation === undefined || input.organisation === null ? organisationNumber : requireText(input.organisation, 'affiliation.organisation', 200);
    return { kind: 'partner', organisation, organisationNumber };
  }
  throw new InvalidInput('affiliation', "must be { kind: 'unit', unit } or { kind: 'partner', organisationNumber }");
}
