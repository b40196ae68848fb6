import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, DatabaseModule } from '@familievedtak/database';
import { EventStoreModule } from '@familievedtak/event-store';
import { ProjectionsModule } from '@familievedtak/projections';
import { FamiliesModule } from '../../api/src/families/families.module';
import { FamilyViewReadsModule } from '../../api/src/families/family-view-reads.module';
import { ReadAuditService } from '../../api/src/read-audit/read-audit.service';
import { clockProvider } from '../../api/src/shared/clock.provider';
import { GROUP_COMMANDS, LEAF_COMMANDS } from './commands';
import { CliReadAudit } from './read-audit/cli-read-audit';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      // FamiliesModule: the seed sends its commands through the same services as the API (its
      // view controller needs the read routing; the CLI reads no views, so never a replica).
      imports: [
        DatabaseModule.forRoot(config),
        EventStoreModule,
        ProjectionsModule.forRoot(config),
        FamilyViewReadsModule.forRoot({ ...config, databaseReadUrl: undefined }),
        FamiliesModule,
      ],
      // ReadAuditService: the API's read-audit writer, so CLI reads land in the same audit (CliReadAudit).
      providers: [...GROUP_COMMANDS, ...LEAF_COMMANDS, ReadAuditService, clockProvider, CliReadAudit],
    };
  }
}
