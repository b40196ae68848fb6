import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

const memoised = new WeakSet<Storage>();

/**
 * class-validator looks a DTO's rules up on every validation (every request body and query,
 * every nested object) by walking the metadata of every decorated class for inherited rules:
 * the ValidationPipe's largest cost per request. The rules of a class only change when a
 * decorator adds one (at class definition), so the answer is kept per class and arguments and
 * forgotten whenever a rule is added. Same arrays, same order: validation does not change.
 * Idempotent; applies to the storage the ValidationPipe uses (class-validator's global one).
 */
export function memoiseValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (memoised.has(storage)) return;
  memoised.add(storage);
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<Parameters<Lookup>[0], Map<string, ReturnType<Lookup>>>();
  storage.addValidationMetadata = (metadata) => {
    byTarget = new Map();
    addRule(metadata);
  };
  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    const key = JSON.stringify([targetSchema ?? null, always ?? null, strictGroups ?? null, groups ?? null]);
    let forTarget = byTarget.get(targetConstructor);
    if (!forTarget) byTarget.set(targetConstructor, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookup(targetConstructor, targetSchema, always, strictGroups, groups)));
    return found;
  };
}
