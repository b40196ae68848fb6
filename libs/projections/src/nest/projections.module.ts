import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@familievedtak/database';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { readModelEntities, readModelMigrations } from '../read-model-data-source';
import { ProjectionDaemon } from './projection-daemon.service';
import { PROJECTIONS } from '../projection';
import { StreamCatalogueProjection } from '../stream-catalogue/stream-catalogue.projection';
import { FamilyViewProjection } from '../family-view/family-view.projection';
import { FamilyStateCache } from '../family-view/family-state-cache';
import { FAMILY_VIEW_CHANNEL, FamilyViewChangeHub } from '../family-view/family-view-changes';

/** The read-model database (TypeORM, migrations only) and the daemon that keeps it current. */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectionsModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.databaseUrl,
          entities: readModelEntities,
          migrations: readModelMigrations,
          migrationsTableName: 'read_model_migrations',
          synchronize: false,
          migrationsRun: false,
          extra: { max: 10 },
        }),
      ],
      providers: [
        // One per process: the view projection folds on it and the view readers read from it.
        { provide: FamilyStateCache, useFactory: () => new FamilyStateCache() },
        // The view's changes: to this process's readers on commit, to other processes by NOTIFY.
        { provide: FamilyViewChangeHub, useFactory: () => new FamilyViewChangeHub() },
        {
          provide: PROJECTIONS,
          inject: [FamilyStateCache, FamilyViewChangeHub, EVENT_STORE],
          useFactory: (stateCache: FamilyStateCache, hub: FamilyViewChangeHub, log: EventStore) => [
            new StreamCatalogueProjection(),
            // `log`: the store the daemon reads (decorated), for the refold after an erasure.
            new FamilyViewProjection(undefined, { stateCache, notifyChannel: FAMILY_VIEW_CHANNEL, onCommitted: (changes) => hub.publish(changes), log }),
          ],
        },
        ProjectionDaemon,
      ],
      exports: [ProjectionDaemon, PROJECTIONS, FamilyStateCache, FamilyViewChangeHub],
    };
  }
}
