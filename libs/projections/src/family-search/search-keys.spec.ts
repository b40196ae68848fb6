import { FAMILY_VIEW_SEARCH_FOLD } from '../migrations/1764979200000-FamilyViewSearch';
import { checkedCriteria, InvalidFamilySearch } from './family-search.queries';
import { FOLD_FROM, FOLD_TO, foldText, nameKey, nameMatches, nameWords, NAME_KEY_MAX } from './search-keys';

describe('family search keys', () => {
  it('folds with the same table as the migration (the index and the query must agree)', () => {
    expect(FAMILY_VIEW_SEARCH_FOLD).toEqual({ from: FOLD_FROM, to: FOLD_TO });
    expect([...FOLD_FROM]).toHaveLength([...FOLD_TO].length);
  });

  it('folds case and accents, Norwegian letters included, without the locale', () => {
    expect(foldText('Åse Øyen-Bråten')).toBe('ase oyen-braten');
    expect(foldText('Ærlige Émile Müller-Čapek')).toBe('aerlige emile muller-capek');
    expect(foldText('Straße')).toBe('strasse');
    // Scripts outside the table are kept as typed (matched exactly, like the database does).
    expect(foldText('Ямила')).toBe('Ямила');
    expect(nameWords("  O'Brien, Anne-Marie  ")).toEqual(['o', 'brien', 'anne', 'marie']);
  });

  it('matches when every query word begins a word of the one name', () => {
    expect(nameMatches('Amina Hassan', ['ami', 'has'])).toBe(true);
    expect(nameMatches('Amina Hassan', ['has', 'ami'])).toBe(true);
    expect(nameMatches('Amina Hassan', ['ssan'])).toBe(false);
    expect(nameMatches(null, ['ami'])).toBe(false);
    expect(nameKey('a'.repeat(NAME_KEY_MAX + 5))).toBe(`n:${'a'.repeat(NAME_KEY_MAX)}`);
  });

  it('refuses criteria naming the field, never the value', () => {
    const refusal = (criteria: Parameters<typeof checkedCriteria>[0]) => {
      try {
        checkedCriteria(criteria);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidFamilySearch);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal({})).toMatch(/required/);
    expect(refusal({ nationalId: '1234567890' })).toBe('nationalId must be 11 digits');
    expect(refusal({ name: 'a' })).toMatch(/at least 2 letters/);
    expect(refusal({ name: 'ab', limit: 0 })).toMatch(/limit/);
    expect(checkedCriteria({ name: 'Åse  Øy', birthDate: '1985-11-20', nationalId: '20118512345' }).keys).toEqual([
      'n:ase',
      'n:oy',
      'b:1985-11-20',
      'i:20118512345',
    ]);
  });
});
