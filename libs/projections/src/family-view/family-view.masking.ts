import { maskMember, type Actor } from '@familievedtak/domain';
import type { FamilyDecisionView } from './family-decision-view.types';

/**
 * Members with a protected address (strengt fortrolig adresse) are masked for readers without
 * clearance, instead of hiding the family: name, birth date (and age), national id and
 * language are blanked, and the district, which narrows down where they live, is withheld.
 */
export function maskView(
  view: FamilyDecisionView,
  actor: Pick<Actor, 'protectedAddressClearance'>,
): { view: FamilyDecisionView; maskedMemberIds: string[] } {
  if (actor.protectedAddressClearance) return { view, maskedMemberIds: [] };
  const masked = view.members.filter((m) => m.protectedAddress).map((m) => m.memberId);
  if (masked.length === 0) return { view, maskedMemberIds: [] };
  return {
    view: {
      ...view,
      district: null,
      members: view.members.map((m): FamilyDecisionView['members'][number] =>
        m.protectedAddress && !('masked' in m) ? { ...maskMember(m), ageOnAsOf: null } : m,
      ),
    },
    maskedMemberIds: masked.sort(),
  };
}
