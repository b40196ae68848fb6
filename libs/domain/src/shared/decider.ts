import type { JsonObject } from './json';

/** Events are plain `{ type, data }` objects whose data is JSON only (ISO strings, never Date). */
export type DomainEvent<Type extends string, Data extends JsonObject> = { type: Type; data: Data };

/** Commands are `{ type, data }` too; their data may leave optional fields out. */
export type DomainCommand<Type extends string, Data extends object> = { type: Type; data: Data };

/** Version of the event payload shapes; bump with an upcaster when a shape changes. */
export const EVENT_SCHEMA_VERSION = 3;

/** Emmett-style decider: decide throws a DomainError or returns the events; evolve folds them. */
export type Decider<Command, Event, State, Context> = {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
};

/** Rebuilds state from history. */
export function fold<Event, State>(decider: Pick<Decider<never, Event, State, never>, 'evolve' | 'initialState'>, events: readonly Event[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
