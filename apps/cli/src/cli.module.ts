import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, DatabaseModule } from '@familievedtak/database';
import { EventStoreModule } from '@familievedtak/event-store';
import { ProjectionsModule } from '@familievedtak/projections';
import { ProjectionsCommand, ProjectionsRebuildCommand, ProjectionsStatusCommand } from './projections/projections.command';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [DatabaseModule.forRoot(config), EventStoreModule, ProjectionsModule.forRoot(config)],
      providers: [ProjectionsCommand, ProjectionsStatusCommand, ProjectionsRebuildCommand],
    };
  }
}
