import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput } from '../shared/domain-error';
import { requireMunicipalActor } from '../shared/permissions';
import { optionalText, requireId, requireText, requireUnit } from '../shared/validation';
import type { JoinContactPerson, LeaveContactPerson, NameCoordinatingUnit } from './family.commands';
import { ContactPersonAlreadyInTeam, ContactPersonNotFound, CoordinatingUnitNotInTeam } from './family.errors';
import type { ContactPersonJoined, ContactPersonLeft, CoordinatingUnitNamed } from './family.events';
import { requireRegistered, stamp } from './family.guards';
import { activeTeam } from './family.queries';
import type { FamilyState } from './family.state';
import type { Affiliation } from './family.values';

/**
 * The team around the family is a list of people from units and partners. One unit
 * coordinates, but the seed warns against one coordinator carrying everything.
 */

export function joinContactPerson(command: JoinContactPerson, state: FamilyState, ctx: DecisionContext): ContactPersonJoined[] {
  requireMunicipalActor(ctx.actor, 'add a contact person to the team');
  requireRegistered(state);
  const personId = requireId(command.data.personId, 'personId');
  if (state.team[personId]?.active) throw new ContactPersonAlreadyInTeam(personId);
  return [
    {
      type: 'ContactPersonJoined',
      data: {
        personId,
        name: requireText(command.data.name, 'name', 200),
        affiliation: parseAffiliation(command.data.affiliation),
        teamRole: optionalText(command.data.teamRole, 'teamRole', 100),
        ...stamp(ctx),
      },
    },
  ];
}

export function leaveContactPerson(command: LeaveContactPerson, state: FamilyState, ctx: DecisionContext): ContactPersonLeft[] {
  requireMunicipalActor(ctx.actor, 'remove a contact person from the team');
  requireRegistered(state);
  const personId = requireId(command.data.personId, 'personId');
  if (!state.team[personId]?.active) throw new ContactPersonNotFound(personId);
  return [{ type: 'ContactPersonLeft', data: { personId, ...stamp(ctx) } }];
}

/** Naming the unit already coordinating is a no-op, so a retried request appends nothing. */
export function nameCoordinatingUnit(command: NameCoordinatingUnit, state: FamilyState, ctx: DecisionContext): CoordinatingUnitNamed[] {
  requireMunicipalActor(ctx.actor, 'name the coordinating unit');
  requireRegistered(state);
  const unit = requireUnit(command.data.unit);
  if (unit === state.coordinatingUnit) return [];
  const represented = activeTeam(state).some((p) => p.affiliation.kind === 'unit' && p.affiliation.unit === unit);
  if (!represented) throw new CoordinatingUnitNotInTeam(unit);
  return [{ type: 'CoordinatingUnitNamed', data: { unit, previousUnit: state.coordinatingUnit, ...stamp(ctx) } }];
}

function parseAffiliation(value: unknown): Affiliation {
  const input = value as Partial<Record<string, unknown>> | null | undefined;
  if (input?.kind === 'unit') return { kind: 'unit', unit: requireUnit(input.unit) };
  if (input?.kind === 'partner') return { kind: 'partner', organisation: requireText(input.organisation, 'affiliation.organisation', 200) };
  throw new InvalidInput('affiliation', "must be { kind: 'unit', unit } or { kind: 'partner', organisation }");
}
