import { actorRef, type Actor, type ActorRef } from './actor';

/** When and by whom: carried by every event so a fold of the stream alone answers "who did what, when". */
export type Stamp = { at: string; by: ActorRef };

export function stamp(ctx: { now: Date; actor: Actor }): Stamp {
  return { at: ctx.now.toISOString(), by: actorRef(ctx.actor) };
}
