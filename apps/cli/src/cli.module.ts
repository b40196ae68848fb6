import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, DatabaseModule } from '@familievedtak/database';
import { EventStoreModule } from '@familievedtak/event-store';
import { ProjectionsModule } from '@familievedtak/projections';
import { FamiliesModule } from '../../api/src/families/families.module';
import { FamilyViewReadsModule } from '../../api/src/families/family-view-reads.module';
import { AuditAsOfCommand } from './audit/as-of.command';
import { AuditCommand } from './audit/audit.command';
import { AuditHistoryCommand } from './audit/history.command';
import { AuditRebuildCompareCommand } from './audit/rebuild-compare.command';
import { AuditSubjectExportCommand } from './audit/subject-export.command';
import { AuditVerifyCommand } from './audit/verify.command';
import { AuditReconcileCommand } from './audit/reconcile.command';
import { AuditLetterCommand } from './audit/letter.command';
import { ProjectionsCommand, ProjectionsRebuildCommand, ProjectionsStatusCommand } from './projections/projections.command';
import { RulesCommand, RulesExplainCommand, RulesValidateCommand } from './rules/rules.command';
import { RulesSimulateCommand } from './rules/simulate.command';
import { SeedCommand, SeedDemoCommand } from './seed/seed.command';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      // FamiliesModule: the seed sends its commands through the same services as the API (its
      // view controller needs the read routing; the CLI reads no views, so never a replica).
      imports: [DatabaseModule.forRoot(config), EventStoreModule, ProjectionsModule.forRoot(config), FamilyViewReadsModule.forRoot({ ...config, databaseReadUrl: undefined }), FamiliesModule],
      providers: [ProjectionsCommand, ProjectionsStatusCommand, ProjectionsRebuildCommand, SeedCommand, SeedDemoCommand, RulesCommand, RulesValidateCommand, RulesExplainCommand, RulesSimulateCommand, AuditCommand, AuditVerifyCommand, AuditRebuildCompareCommand, AuditHistoryCommand, AuditAsOfCommand, AuditSubjectExportCommand, AuditReconcileCommand, AuditLetterCommand],
    };
  }
}
