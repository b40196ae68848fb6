import {
  BadRequestException,
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
  ServiceUnavailableException,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@familievedtak/database';
import {
  createFamilyViewReadRouting,
  FamilyStateCache,
  FamilyViewChangeHub,
  FamilyViewChangeListener,
  type FamilyViewChangeSink,
  FamilyViewQueries,
  FamilyViewReadRouting,
} from '@familievedtak/projections';
import { FamilyViewCache, familyViewCacheBytes } from './family-view-cache';

const READ_ROUTING = Symbol('READ_ROUTING');
const CHANGE_LISTENER = Symbol('CHANGE_LISTENER');
type ReadRoutingHandle = Awaited<ReturnType<typeof createFamilyViewReadRouting>>;

/**
 * The change feed's sink: the view cache, and the state cache drops states other processes moved
 * past (after an erasure, a state read before it holds the erased plaintext; design §5).
 */
function changeSink(cache: FamilyViewCache, states: FamilyStateCache): FamilyViewChangeSink {
  return {
    changed: (change) => {
      cache.changed(change);
      states.moved(change.familyId, change.revision);
    },
    listening: (on) => cache.listening(on),
  };
}

/**
 * How family views are read: FamilyViewQueries on the primary (sharing the process's state
 * cache with the view projection), DATABASE_READ_URL (a streaming replica) when set, and the
 * process's FamilyViewCache of built views. Everything else (commands, the log, projections,
 * the read audit) stays on the primary.
 *
 * `listen` (the API): the cache hears the view projection's change feed (LISTEN on the
 * primary), so an unchanged view is served without asking the database. The CLI reads once
 * and does without.
 */
@Global()
@Module({})
export class FamilyViewReadsModule implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('family view reads');

  constructor(
    @Inject(READ_ROUTING) private readonly handle: ReadRoutingHandle,
    @Optional() @Inject(CHANGE_LISTENER) private readonly listener: FamilyViewChangeListener | null,
  ) {}

  static forRoot(config: AppConfig, options: { listen?: boolean } = {}): DynamicModule {
    return {
      module: FamilyViewReadsModule,
      providers: [
        {
          provide: FamilyViewQueries,
          inject: [DataSource, FamilyStateCache],
          useFactory: (dataSource: DataSource, stateCache: FamilyStateCache) => new FamilyViewQueries(dataSource, { stateCache }),
        },
        {
          provide: READ_ROUTING,
          inject: [DataSource, FamilyStateCache],
          // The replica's reader shares the process's state cache: a revision is the same state wherever it is read.
          useFactory: async (primary: DataSource, stateCache: FamilyStateCache): Promise<ReadRoutingHandle> => {
            const handle = await createFamilyViewReadRouting(primary, config, {
              stateCache,
              errors: {
                invalidMinRevision: (detail) => new BadRequestException(detail),
                notCaughtUp: (detail) => new ServiceUnavailableException(detail),
              },
            });
            if (config.databaseReadUrl)
              new Logger('database').log(`family view reads: DATABASE_READ_URL (read-your-writes wait ${config.readYourWritesWaitMs} ms)`);
            return handle;
          },
        },
        { provide: FamilyViewReadRouting, inject: [READ_ROUTING], useFactory: (handle: ReadRoutingHandle) => handle.routing },
        {
          provide: FamilyViewCache,
          inject: [FamilyViewQueries, FamilyViewChangeHub],
          useFactory: (queries: FamilyViewQueries, hub: FamilyViewChangeHub) => {
            const cache = new FamilyViewCache(queries, familyViewCacheBytes(process.env));
            hub.subscribe((changes) => changes.forEach((change) => cache.changed(change)));
            return cache;
          },
        },
        {
          provide: CHANGE_LISTENER,
          inject: [FamilyViewCache, FamilyStateCache],
          useFactory: (cache: FamilyViewCache, states: FamilyStateCache) =>
            options.listen && familyViewCacheBytes(process.env) > 0
              ? new FamilyViewChangeListener(config.databaseUrl, changeSink(cache, states), {
                  onError: (error) => new Logger('family view reads').warn(`change feed lost (${error.message}); reads ask the database until it is back`),
                })
              : null,
        },
      ],
      exports: [FamilyViewReadRouting, FamilyViewQueries, FamilyViewCache],
    };
  }

  /** LISTEN in place before the app serves (if the database refuses, reads ask it every time, and the listener keeps trying). */
  async onModuleInit(): Promise<void> {
    await this.listener?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
    await this.handle.close();
  }
}
