import { diffJson } from './json-diff';

describe('diffJson', () => {
  it('names each differing leaf by its path, with both values; a field on one side only has no value on the other', () => {
    expect(
      diffJson(
        { revision: 4, state: { members: { 'm-1': { name: 'A' } }, units: ['NAV', 'BFT'], district: 'Heimdal' } },
        { revision: 5, state: { members: { 'm-1': { name: 'A' }, 'm-2': { name: 'B' } }, units: ['NAV'], district: 'Heimdal' } },
      ),
    ).toEqual([
      { path: '$.revision', live: 4, rebuilt: 5 },
      { path: '$.state.members["m-2"]', live: undefined, rebuilt: { name: 'B' } },
      { path: '$.state.units[1]', live: 'BFT', rebuilt: undefined },
    ]);
  });

  it('a value of another kind is one difference, not a walk into it', () => {
    expect(diffJson({ next: null }, { next: { day: '2024-06-30' } })).toEqual([{ path: '$.next', live: null, rebuilt: { day: '2024-06-30' } }]);
    expect(diffJson([1, { a: 1 }], [1, { a: 1 }])).toEqual([]);
  });
});
