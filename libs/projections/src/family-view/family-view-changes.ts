import { Client } from 'pg';

/**
 * The family view's change feed: each projection batch NOTIFYs the families it wrote and
 * their new revisions (PostgreSQL delivers a notification when, and only when, the batch's
 * transaction commits). API instances LISTEN, so a view they built stays good until a
 * notification says its family moved: a cached view is served without a round trip.
 *
 * Payload: `revision:familyId` pairs joined by `\n`, each notification under PostgreSQL's
 * 8,000-byte limit.
 */
export const FAMILY_VIEW_CHANNEL = 'family_view_changed';

export type FamilyViewChange = { familyId: string; revision: number };

const MAX_PAYLOAD_BYTES = 7_900;

export function changePayloads(changes: ReadonlyArray<FamilyViewChange>): string[] {
  const payloads: string[] = [];
  let current = '';
  for (const { familyId, revision } of changes) {
    const line = `${revision}:${familyId}`;
    if (current && Buffer.byteLength(current) + 1 + Buffer.byteLength(line) > MAX_PAYLOAD_BYTES) {
      payloads.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) payloads.push(current);
  return payloads;
}

export function parseChanges(payload: string): FamilyViewChange[] {
  const changes: FamilyViewChange[] = [];
  for (const line of payload.split('\n')) {
    const colon = line.indexOf(':');
    const revision = Number(line.slice(0, colon));
    if (colon > 0 && Number.isSafeInteger(revision)) changes.push({ familyId: line.slice(colon + 1), revision });
  }
  return changes;
}

/**
 * In one process: the view projection publishes what each batch wrote once it committed, and
 * the process's view cache hears it before the runner reports the batch done (so "the projection
 * caught up" implies "this process's cache knows"). Other processes hear the NOTIFY.
 */
export class FamilyViewChangeHub {
  private readonly subscribers: Array<(changes: FamilyViewChange[]) => void> = [];
  subscribe(subscriber: (changes: FamilyViewChange[]) => void): void {
    this.subscribers.push(subscriber);
  }
  publish(changes: FamilyViewChange[]): void {
    for (const subscriber of this.subscribers) subscriber(changes);
  }
}

/** What the listener tells: each change, and whether changes can be relied on (a lost connection loses notifications). */
export interface FamilyViewChangeSink {
  changed(change: FamilyViewChange): void;
  /** true once LISTEN is in place; false as soon as the connection is lost (until LISTEN is in place again). */
  listening(on: boolean): void;
}

export type ChangeListenerOptions = {
  /** Wait before connecting again after a lost connection; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  onError?: (error: Error) => void;
};

/**
 * One dedicated connection LISTENing on FAMILY_VIEW_CHANNEL (a pool connection cannot hold a
 * LISTEN). It reconnects with backoff; while it is down the sink hears `listening(false)` and
 * readers go back to asking the database on every read.
 */
export class FamilyViewChangeListener {
  private client: Client | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs: number;

  constructor(
    private readonly connectionString: string,
    private readonly sink: FamilyViewChangeSink,
    private readonly options: ChangeListenerOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 250;
  }

  /** Resolves when LISTEN is in place, or after the first failure (it keeps trying in the background). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.sink.listening(false);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString, application_name: 'familievedtak-view-changes' });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.sink.listening(false);
      if (error) this.options.onError?.(error);
      client.end().catch(() => undefined);
      this.scheduleRetry();
    };
    client.on('notification', (message) => {
      if (message.channel !== FAMILY_VIEW_CHANNEL || !message.payload) return;
      for (const change of parseChanges(message.payload)) this.sink.changed(change);
    });
    client.on('error', (error) => lost(error));
    client.on('end', () => lost());
    try {
      await client.connect();
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      await client.query(`LISTEN ${FAMILY_VIEW_CHANNEL}`);
      this.retryMs = this.options.retryMs ?? 250;
      // Only now: a notification is delivered to a session from its LISTEN on.
      if (this.client === client) this.sink.listening(true);
    } catch (error) {
      if (this.client === client) lost(error as Error);
      else {
        this.options.onError?.(error as Error);
        client.end().catch(() => undefined);
        this.scheduleRetry();
      }
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 5_000);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
    this.retryTimer.unref();
  }
}
