import { isDomainError } from './domain-error';
import { isReservedName, requireId } from './validation';

describe('requireId: ids that key plain objects in the state', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])(
    "refuses %s (it would find Object.prototype's member, not nothing)",
    (name) => {
      expect(isReservedName(name)).toBe(true);
      let error: unknown;
      try {
        requireId(name, 'runId');
      } catch (e) {
        error = e;
      }
      expect(isDomainError(error) && error.code).toBe('INVALID_INPUT');
    },
  );

  it.each(['ny-start-2026-11', 'constructors', 'Constructor', '7f3c2a9e-0c1d-4e55-9a51-2b7d3c1e9f00'])('accepts %s', (id) => {
    expect(isReservedName(id)).toBe(false);
    expect(requireId(id, 'runId')).toBe(id);
  });
});
