import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput, InvalidPeriod } from '../shared/domain-error';
import { requireMunicipalActor } from '../shared/permissions';
import { idOrNew, optionalBoolean, optionalText, requireId, requireOneOf, requireText } from '../shared/validation';
import type { JoinMember, LeaveMember, NewMember, RegisterFamily } from './family.commands';
import { AlreadyExists, FamilyAlreadyRegistered, LastAdultCannotLeave, NoAdultMember } from './family.errors';
import type { FamilyRegistered, MemberJoined, MemberLeft } from './family.events';
import { parsePastDate, requireCurrentMember, requirePart, stamp, today } from './family.guards';
import { currentAdults } from './family.queries';
import type { FamilyState } from './family.state';
import { ADDRESS_PROTECTIONS, HOUSEHOLD_ROLES, type MemberDetails } from './family.values';
import { parseClaim } from './parental-responsibility.decide';

const NATIONAL_ID = /^\d{11}$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export function registerFamily(command: RegisterFamily, state: FamilyState, ctx: DecisionContext): FamilyRegistered[] {
  requireMunicipalActor(ctx.actor, 'register a family');
  const { familyId, district, members } = command.data;
  if (state.status === 'registered') throw new FamilyAlreadyRegistered(state.familyId ?? String(familyId));
  const id = requireId(familyId, 'familyId');
  const districtName = requireText(district, 'district', 100);
  if (!Array.isArray(members) || members.length === 0) throw new InvalidInput('members', 'must list the household members');
  const parsed: MemberDetails[] = [];
  members.forEach((input, i) => {
    const member = parseMember(input, `members[${i}]`, ctx);
    if (parsed.some((m) => m.memberId === member.memberId)) throw new AlreadyExists('member', member.memberId);
    requireUniqueNationalId(member, parsed);
    parsed.push(member);
  });
  if (!parsed.some((m) => m.role === 'adult')) throw new NoAdultMember();
  const claims = command.data.parentalResponsibility ?? [];
  if (!Array.isArray(claims)) throw new InvalidInput('parentalResponsibility', 'must be a list of { childId, holderId }');
  const byId = (id: unknown, field: string) => {
    const member = parsed.find((m) => m.memberId === id);
    if (!member) throw new InvalidInput(field, 'must be one of the members registered');
    return member;
  };
  const parentalResponsibility = claims.map((claim, i) => parseClaim(claim, `parentalResponsibility[${i}]`, byId, today(ctx)));
  if (new Set(parentalResponsibility.map((r) => `${r.childId}:${r.holderId}`)).size !== parentalResponsibility.length) {
    throw new InvalidInput('parentalResponsibility', 'names the same child and holder twice');
  }
  return [
    {
      type: 'FamilyRegistered',
      data: {
        familyId: id,
        district: districtName,
        registeredOn: today(ctx),
        members: parsed,
        parentalResponsibility,
        ...stamp(ctx),
      },
    },
  ];
}

/** A member joins, or a member who left comes back under the same id. */
export function joinMember(command: JoinMember, state: FamilyState, ctx: DecisionContext): MemberJoined[] {
  requirePart(state, ctx, 'add a household member');
  const member = parseMember(command.data.member, 'member', ctx);
  const existing = state.members[member.memberId];
  if (existing?.status === 'current') throw new AlreadyExists('member', member.memberId);
  requireUniqueNationalId(
    member,
    Object.values(state.members).filter((m) => m.status === 'current'),
  );
  const joinedOn = command.data.joinedOn === undefined ? today(ctx) : parsePastDate(command.data.joinedOn, 'joinedOn', ctx);
  return [{ type: 'MemberJoined', data: { member, joinedOn, ...stamp(ctx) } }];
}

export function leaveMember(command: LeaveMember, state: FamilyState, ctx: DecisionContext): MemberLeft[] {
  requirePart(state, ctx, 'record that a member left the household');
  const member = requireCurrentMember(state, command.data.memberId);
  if (member.role === 'adult' && currentAdults(state).length === 1) throw new LastAdultCannotLeave(member.memberId);
  const leftOn = command.data.leftOn === undefined ? today(ctx) : parsePastDate(command.data.leftOn, 'leftOn', ctx);
  if (leftOn < member.joinedOn) throw new InvalidPeriod(member.joinedOn, leftOn, 'The membership');
  return [
    {
      type: 'MemberLeft',
      data: { memberId: member.memberId, leftOn, reason: optionalText(command.data.reason, 'reason', 1000), ...stamp(ctx) },
    },
  ];
}

function parseMember(input: NewMember, field: string, ctx: DecisionContext): MemberDetails {
  if (typeof input !== 'object' || input === null) throw new InvalidInput(field, 'must describe a person');
  const nationalId = optionalText(input.nationalId, `${field}.nationalId`, 11);
  if (nationalId !== null && !NATIONAL_ID.test(nationalId)) {
    throw new InvalidInput(`${field}.nationalId`, 'must be 11 digits (fødselsnummer or D-number); leave it out when the person has none');
  }
  const preferredLanguage = optionalText(input.preferredLanguage, `${field}.preferredLanguage`, 35);
  if (preferredLanguage !== null && !LANGUAGE_TAG.test(preferredLanguage)) {
    throw new InvalidInput(`${field}.preferredLanguage`, "must be a language code such as 'nb', 'ar' or 'ti'");
  }
  return {
    memberId: idOrNew(input.memberId, `${field}.memberId`, ctx.newId),
    name: requireText(input.name, `${field}.name`, 200),
    birthDate: parsePastDate(input.birthDate, `${field}.birthDate`, ctx),
    role: requireOneOf(input.role, `${field}.role`, HOUSEHOLD_ROLES),
    nationalId,
    preferredLanguage,
    ...addressProtectionOf(input, field),
  };
}

/** kode 6 or 7; the schema 1 flag `protectedAddress: true` means kode 6. Both given: they must agree. */
function addressProtectionOf(input: NewMember, field: string): Pick<MemberDetails, 'protectedAddress' | 'addressProtection'> {
  const flag = optionalBoolean(input.protectedAddress, `${field}.protectedAddress`, false);
  const level =
    input.addressProtection === undefined || input.addressProtection === null
      ? flag
        ? 'strengt-fortrolig'
        : 'none'
      : requireOneOf(input.addressProtection, `${field}.addressProtection`, ADDRESS_PROTECTIONS);
  if (input.protectedAddress !== undefined && input.protectedAddress !== null && flag !== (level !== 'none')) {
    throw new InvalidInput(`${field}.protectedAddress`, 'contradicts addressProtection; send addressProtection alone');
  }
  return { protectedAddress: level !== 'none', addressProtection: level };
}

/** Two people in one household never share a national id; most have none, which is fine. */
function requireUniqueNationalId(member: MemberDetails, others: MemberDetails[]): void {
  if (member.nationalId === null) return;
  if (others.some((o) => o.memberId !== member.memberId && o.nationalId === member.nationalId)) {
    throw new InvalidInput('nationalId', `another member of this household already has national id ${member.nationalId}`);
  }
}
