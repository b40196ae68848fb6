import type { EventStore, RecordedEvent } from '@familievedtak/event-store';
import { StreamCommandHandler, type StreamDecider } from './stream-command-handler';

/**
 * The handler's cache of folded states after an erasure (docs/design/retention-and-erasure.md §5):
 * the log reads the erased fields as placeholders from then on, but a cached state folded before
 * still holds the plaintext. `foldAgainAfter` names the events after which the stream is folded
 * again from its start instead of extending the cached state.
 */
type Text = { type: 'Said' | 'Erased'; data: { text: string } };
type Said = { texts: string[] };
const decider: StreamDecider<never, Text, Said, null> = {
  decide: () => [],
  evolve: (state, event) => ({ texts: event.type === 'Said' ? [...state.texts, event.data.text] : state.texts }),
  initialState: () => ({ texts: [] }),
};

/** A stream whose reads can change as a decoded stream's do once a key is shredded. */
function storeOf(events: Array<{ type: Text['type']; text: string }>): EventStore {
  const recorded = (): RecordedEvent[] =>
    events.map((e, revision) => ({
      id: `event-${revision}`,
      streamId: 'family-1',
      type: e.type,
      data: { text: e.text },
      metadata: {},
      revision,
      globalPosition: BigInt(revision + 1),
      recordedAt: new Date(0),
      hash: '',
    }));
  return {
    readStream: async (_streamId: string, options: { fromRevision?: number } = {}) => recorded().slice(options.fromRevision ?? 0),
  } as unknown as EventStore;
}

describe('StreamCommandHandler: folding again after an erasure', () => {
  const erase = (events: Array<{ type: Text['type']; text: string }>) => {
    events[0].text = '';
    events.push({ type: 'Erased', text: '' });
  };

  it('folds the stream again from its start after a PersonalDataErased-like event: the cached plaintext is not kept', async () => {
    const events: Array<{ type: Text['type']; text: string }> = [{ type: 'Said', text: 'Plaintext of the family' }];
    const handler = new StreamCommandHandler(storeOf(events), decider, { foldAgainAfter: (e) => e.type === 'Erased' });
    expect((await handler.load('family-1')).state.texts).toEqual(['Plaintext of the family']);
    erase(events);
    expect((await handler.load('family-1')).state.texts).toEqual(['']);
  });

  it('without it, a cached state is extended (the behaviour for streams that are never erased)', async () => {
    const events: Array<{ type: Text['type']; text: string }> = [{ type: 'Said', text: 'Plaintext of the family' }];
    const handler = new StreamCommandHandler(storeOf(events), decider);
    await handler.load('family-1');
    erase(events);
    expect((await handler.load('family-1')).state.texts).toEqual(['Plaintext of the family']);
  });
});
