import { IsInt, IsString, MetadataStorage, validate } from 'class-validator';
import { memoiseValidationMetadata } from './validation-metadata-cache';

/** The memo answers what class-validator would, and forgets when a rule is added (a class defined later). */
describe('memoiseValidationMetadata', () => {
  it('answers the same rules, once looked up, and the rules of a class defined after the first lookup', async () => {
    const fresh = new MetadataStorage();
    const lookups = jest.spyOn(fresh, 'getTargetValidationMetadatas');
    memoiseValidationMetadata(fresh);
    memoiseValidationMetadata(fresh); // idempotent
    fresh.addValidationMetadata({ type: 'customValidation', target: Base, propertyName: 'name', constraints: [], name: 'isString' } as never);
    const first = fresh.getTargetValidationMetadatas(Base, '', false, false);
    expect(fresh.getTargetValidationMetadatas(Base, '', false, false)).toBe(first);
    expect(first.map((m) => m.propertyName)).toEqual(['name']);
    // The walk over every class ran once for the two lookups.
    expect(lookups).toHaveBeenCalledTimes(1);
    // A rule added later (a subclass declared after the first request) is seen, inherited ones too.
    expect(fresh.getTargetValidationMetadatas(Derived, '', false, false).map((m) => m.propertyName)).toEqual(['name']);
    fresh.addValidationMetadata({ type: 'customValidation', target: Derived, propertyName: 'count', constraints: [], name: 'isInt' } as never);
    expect(
      fresh
        .getTargetValidationMetadatas(Derived, '', false, false)
        .map((m) => m.propertyName)
        .sort(),
    ).toEqual(['count', 'name']);
    expect(fresh.getTargetValidationMetadatas(Base, '', false, false).map((m) => m.propertyName)).toEqual(['name']);
  });

  it('validation through the global storage gives the same errors', async () => {
    memoiseValidationMetadata();
    class Query {
      @IsString() name!: string;
      @IsInt() count!: number;
    }
    const bad = Object.assign(new Query(), { name: 1, count: 'x' });
    for (let i = 0; i < 2; i++) {
      const errors = await validate(bad);
      expect(errors.map((e) => [e.property, Object.keys(e.constraints ?? {})])).toEqual([
        ['name', ['isString']],
        ['count', ['isInt']],
      ]);
    }
    expect(await validate(Object.assign(new Query(), { name: 'a', count: 1 }))).toEqual([]);
  });
});

class Base {
  name!: string;
}
class Derived extends Base {
  count!: number;
}
