import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

/**
 * Given/when/then specifications for Emmett-style deciders, on jest's expect:
 *
 *   spec.given([familyRegistered]).when(proposeDecision).then([decisionProposed]);
 *   spec.given([]).when(approveDecision).thenThrows(DecisionNotFound);
 *
 * The given events and every state folded from them are deep-frozen, so a decide or
 * evolve that mutates instead of returning new values fails loudly.
 */
export type ErrorClass = abstract new (...args: never[]) => DomainError;

export function deciderSpecification<Command, Event, State, Context extends object>(
  decider: Decider<Command, Event, State, Context>,
  defaultContext: () => Context,
) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command, context: Partial<Context> = {}) {
          const run = () => decider.decide(command, foldFrozen(decider, events), { ...defaultContext(), ...context });
          return {
            /** Exactly these events (strict: no undefined fields); returns the state after them. */
            then(expected: Event[]): State {
              const actual = run();
              expect(actual).toStrictEqual(expected);
              expect(JSON.parse(JSON.stringify(actual))).toStrictEqual(actual);
              return foldFrozen(decider, [...events, ...actual]);
            },
            /** A DomainError of this class (or with this code); returns it for further checks. */
            thenThrows(expected: ErrorClass | string): DomainError {
              let thrown: unknown;
              let produced: Event[] | undefined;
              try {
                produced = run();
              } catch (error) {
                thrown = error;
              }
              if (produced !== undefined) {
                throw new Error(`expected a refusal (${describe(expected)}) but got events ${JSON.stringify(produced)}`);
              }
              expect(thrown).toBeInstanceOf(DomainError);
              const error = thrown as DomainError;
              if (typeof expected === 'string') expect(error.code).toBe(expected);
              else expect(error).toBeInstanceOf(expected);
              expect(['not_found', 'conflict', 'forbidden', 'invalid']).toContain(error.kind);
              expect(error.message.length).toBeGreaterThan(10);
              return error;
            },
          };
        },
      };
    },
  };
}

function describe(expected: ErrorClass | string): string {
  return typeof expected === 'string' ? expected : expected.name;
}

function foldFrozen<Event, State>(decider: Decider<never, Event, State, never>, events: Event[]): State {
  return events.map(deepFreeze).reduce((state, event) => deepFreeze(decider.evolve(state, event)), deepFreeze(decider.initialState()));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Deterministic ids for contexts: 'id-1', 'id-2', ... */
export function sequentialIds(prefix = 'id'): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}
