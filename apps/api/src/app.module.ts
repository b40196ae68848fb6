import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, DatabaseModule } from '@familievedtak/database';
import { EventStoreModule } from '@familievedtak/event-store';
import { ProjectionsModule } from '@familievedtak/projections';
import { FamiliesModule } from './families/families.module';
import { HealthModule } from './health/health.module';
import { WhatIfModule } from './what-if/what-if.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [DatabaseModule.forRoot(config), EventStoreModule, ProjectionsModule.forRoot(config), HealthModule, FamiliesModule, WhatIfModule],
    };
  }
}
