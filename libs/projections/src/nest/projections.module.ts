import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@familievedtak/database';
import { readModelEntities, readModelMigrations } from '../read-model-data-source';
import { ProjectionDaemon } from './projection-daemon.service';
import { PROJECTIONS } from '../projection';
import { StreamCatalogueProjection } from '../stream-catalogue/stream-catalogue.projection';
import { FamilyViewProjection } from '../family-view/family-view.projection';

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
      providers: [{ provide: PROJECTIONS, useFactory: () => [new StreamCatalogueProjection(), new FamilyViewProjection()] }, ProjectionDaemon],
      exports: [ProjectionDaemon, PROJECTIONS],
    };
  }
}
