/**
 * Runs tasks one at a time per key (here: per budget stream), in arrival order. Commands on
 * one budget inside this process then never race each other for its revision: without it, 24
 * parallel payments on one budget lose most of their appends and retry (27/s against 73/s
 * one at a time, issue 12). Other processes still race; the expected revisions catch that.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // The last task of a key removes its entry, so idle keys hold no memory.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
