import { setTimeout as delay } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { readModelEntities } from '../read-model-data-source';
import { FamilyViewQueries } from './family-view.queries';
import type { FamilyStateCache } from './family-state-cache';

/** The revision of a family's view row in one database; undefined when it has no row (yet). */
export type RevisionOf = (familyId: string) => Promise<number | undefined>;

/** Where a read was served from, counted for the logs and the tests. */
export type ReadServed = { replica: number; primary: number; waitedForReplica: number; notCaughtUp: number };

export interface ReadRoutingErrors {
  /** X-Min-Revision is not a revision (the API answers 400). */
  invalidMinRevision(detail: string): Error;
  /** Neither the replica nor the primary's view reached the revision within the bounds (the API answers 503). */
  notCaughtUp(detail: string): Error;
}

export interface ReadRoutingOptions {
  /** How long a read that names a revision waits for the replica, then for the primary's projection. */
  waitMs: number;
  /** Between two looks at a lagging row. */
  pollMs?: number;
  errors?: ReadRoutingErrors;
}

export const MIN_REVISION_HEADER = 'x-min-revision';

const plainErrors: ReadRoutingErrors = {
  invalidMinRevision: (detail) => new RangeError(detail),
  notCaughtUp: (detail) => new Error(detail),
};

/**
 * Sends family view reads to a streaming replica, and keeps read-your-writes for a client that
 * names the revision it wrote (X-Min-Revision, the revision a command returned or the ETag):
 * such a read goes to the replica only once the replica's row has reached that revision; it
 * waits up to `waitMs` for it, then is served from the primary, and is refused (never answered
 * with an older revision) when even the primary's projection has not reached it in `waitMs`.
 *
 * A replica replays the primary's WAL in commit order, so a revision seen there once stays
 * visible to every later read of that server: checking the row and then reading it is safe.
 * Lists carry no per-family revision: a list that names one is served from the primary.
 */
export class FamilyViewReadRouting {
  readonly served: ReadServed = { replica: 0, primary: 0, waitedForReplica: 0, notCaughtUp: 0 };
  private readonly pollMs: number;
  private readonly errors: ReadRoutingErrors;

  constructor(
    private readonly replica: { queries: FamilyViewQueries; revisionOf: RevisionOf } | undefined,
    private readonly primaryRevisionOf: RevisionOf,
    private readonly options: ReadRoutingOptions,
  ) {
    this.pollMs = options.pollMs ?? 10;
    this.errors = options.errors ?? plainErrors;
  }

  get hasReplica(): boolean {
    return this.replica !== undefined;
  }

  /**
   * The queries to read this family's view with: the replica's, or `primary` (the caller's
   * instance over the primary, so a process without a replica reads exactly as before).
   */
  async forFamily(primary: FamilyViewQueries, familyId: string, minRevisionHeader: string | string[] | undefined): Promise<FamilyViewQueries> {
    const minRevision = this.parse(minRevisionHeader);
    if (!this.replica) return primary;
    if (minRevision === undefined) {
      this.served.replica++;
      return this.replica.queries;
    }
    const deadline = Date.now() + this.options.waitMs;
    let waited = false;
    for (;;) {
      if (((await this.replica.revisionOf(familyId)) ?? -1) >= minRevision) {
        this.served.replica++;
        if (waited) this.served.waitedForReplica++;
        return this.replica.queries;
      }
      if (Date.now() >= deadline) break;
      waited = true;
      await delay(Math.min(this.pollMs, Math.max(0, deadline - Date.now())));
    }
    // The replica is behind by more than the bound: the primary, once its own projection has the revision.
    const primaryDeadline = Date.now() + this.options.waitMs;
    for (;;) {
      const seen = await this.primaryRevisionOf(familyId);
      if ((seen ?? -1) >= minRevision) {
        this.served.primary++;
        return primary;
      }
      if (Date.now() >= primaryDeadline) {
        this.served.notCaughtUp++;
        throw this.errors.notCaughtUp(
          `The view of family ${familyId} has not reached revision ${minRevision} yet (it shows ${seen ?? 'nothing'}). Try again shortly.`,
        );
      }
      await delay(Math.min(this.pollMs, Math.max(0, primaryDeadline - Date.now())));
    }
  }

  /** The queries for a family list: the replica's, unless the client names a revision it wrote. */
  forList(primary: FamilyViewQueries, minRevisionHeader: string | string[] | undefined): FamilyViewQueries {
    const minRevision = this.parse(minRevisionHeader);
    if (!this.replica) return primary;
    if (minRevision !== undefined) {
      this.served.primary++;
      return primary;
    }
    this.served.replica++;
    return this.replica.queries;
  }

  private parse(header: string | string[] | undefined): number | undefined {
    try {
      return parseMinRevision(header);
    } catch (error) {
      throw this.errors.invalidMinRevision((error as Error).message);
    }
  }
}

/** `5`, or the ETag form `"5"`; absent or empty: no revision named. */
export function parseMinRevision(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new RangeError('X-Min-Revision must be given once');
  const value = header.trim();
  if (value === '') return undefined;
  const match = /^(?:"(\d{1,15})"|(\d{1,15}))$/.exec(value);
  if (!match) throw new RangeError(`X-Min-Revision must be a revision (a whole number, or the ETag "n"), not ${JSON.stringify(header.slice(0, 40))}`);
  return Number(match[1] ?? match[2]);
}

/** One primary-key read of the view row's revision (the column every layout of family_view keeps). */
export function sqlRevisionOf(dataSource: DataSource): RevisionOf {
  return async (familyId) => {
    const rows: Array<{ revision: string }> = await dataSource.query('SELECT revision FROM read_models.family_view WHERE family_id = $1', [familyId]);
    return rows.length ? Number(rows[0].revision) : undefined;
  };
}

export const REPLICA_APPLICATION_NAME = 'familievedtak-view-reads';

/**
 * A read-model DataSource over a replica. Its sessions are read-only by default, so even a
 * DATABASE_READ_URL that names the primary by mistake cannot write; TypeORM installs no
 * extensions on connect (a standby would refuse CREATE EXTENSION) and runs no migrations.
 */
export function createReplicaDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: readModelEntities,
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    applicationName: REPLICA_APPLICATION_NAME,
    extra: { max: poolSize, options: '-c default_transaction_read_only=on' },
  });
}

/**
 * The routing for a process: over DATABASE_READ_URL when one is configured (its DataSource is
 * opened here and closed by `close`), else everything on the primary.
 */
export async function createFamilyViewReadRouting(
  primary: DataSource,
  config: { databaseReadUrl?: string; readYourWritesWaitMs: number },
  options: Omit<ReadRoutingOptions, 'waitMs'> & { stateCache?: FamilyStateCache } = {},
): Promise<{ routing: FamilyViewReadRouting; close(): Promise<void> }> {
  const { stateCache, ...routingOptions } = options;
  const settings = { ...routingOptions, waitMs: config.readYourWritesWaitMs };
  if (!config.databaseReadUrl) return { routing: new FamilyViewReadRouting(undefined, sqlRevisionOf(primary), settings), close: async () => undefined };
  const replica = createReplicaDataSource(config.databaseReadUrl);
  await replica.initialize();
  const routing = new FamilyViewReadRouting(
    { queries: new FamilyViewQueries(replica, { stateCache }), revisionOf: sqlRevisionOf(replica) },
    sqlRevisionOf(primary),
    settings,
  );
  return { routing, close: () => replica.destroy() };
}
