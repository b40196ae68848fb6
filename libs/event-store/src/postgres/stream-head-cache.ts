/**
 * The hash of the last event this process saw per stream, bounded (least recently used
 * go first). An event's hash never changes, so an entry can be old but never wrong: it is a
 * candidate predecessor that the database confirms before anything is appended after it.
 */
export class StreamHeadCache {
  private readonly heads = new Map<string, { revision: number; hash: string }>();

  constructor(private readonly capacity = 100_000) {}

  get(streamId: string, revision: number): string | undefined {
    const head = this.heads.get(streamId);
    if (!head || head.revision !== revision) return undefined;
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    return head.hash;
  }

  remember(streamId: string, revision: number, hash: string): void {
    const head = this.heads.get(streamId);
    if (head && head.revision > revision) return;
    this.heads.delete(streamId);
    this.heads.set(streamId, { revision, hash });
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value as string);
  }
}
