import { maskFamilyState, readerOf, type Actor, type LocalDate, type ReadableFamilyState } from '@familievedtak/domain';
import { buildFamilyDecisionView } from './family-decision-view';
import type { FamilyDecisionView, FamilyDecisionViewOptions } from './family-decision-view.types';

/** Who reads: their role, unit or organisation, and whether they are cleared for protected addresses. */
export type ViewReader = Pick<Actor, 'role'> & Partial<Pick<Actor, 'unit' | 'partnerOrganisation' | 'protectedAddressClearance'>>;

/**
 * The view as one reader receives it, from what familyReadAccess granted them: protected
 * addresses masked first (maskFamilyState: kode 6 members blanked; with a kode 6 or 7 member
 * the district, names of people and places, and free text withheld), then the view built from
 * that state alone. Building from the masked state means no order, count or warning can carry
 * what was withheld (masked members are not placed by age, for instance).
 */
export function viewForReader(
  granted: ReadableFamilyState,
  today: LocalDate,
  reader: ViewReader,
  options: Omit<FamilyDecisionViewOptions, 'reader'> = {},
): { view: FamilyDecisionView; maskedMemberIds: string[] } {
  const { state, maskedMemberIds } = maskFamilyState(granted, reader);
  return { view: buildFamilyDecisionView(state, today, { ...options, reader: readerOf(reader) }), maskedMemberIds };
}
