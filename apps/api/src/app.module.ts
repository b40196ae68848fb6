import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, DatabaseModule } from '@familievedtak/database';
import { EventStoreModule } from '@familievedtak/event-store';
import { ProjectionsModule } from '@familievedtak/projections';
import { FamilyViewReadsModule } from './families/family-view-reads.module';
import { AuthModule } from './auth/auth.module';
import { AuthSettings } from './auth/auth-settings';
import { AuditorModule } from './auditor/auditor.module';
import { FamiliesModule } from './families/families.module';
import { HealthModule } from './health/health.module';
import { LettersModule } from './letters/letters.module';
import { MoneyModule } from './money/money.module';
import { ReadAuditModule } from './read-audit/read-audit.module';
import { RetentionSchedulerModule } from './retention/retention.module';
import { RuleSetBootstrapModule } from './rules/rules.module';
import { WhatIfModule } from './what-if/what-if.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, auth: AuthSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AuthModule.forRoot(auth),
        DatabaseModule.forRoot(config),
        EventStoreModule,
        ProjectionsModule.forRoot(config),
        FamilyViewReadsModule.forRoot(config, { listen: true }),
        HealthModule,
        ReadAuditModule,
        MoneyModule,
        FamiliesModule,
        LettersModule,
        RuleSetBootstrapModule,
        RetentionSchedulerModule,
        WhatIfModule,
        AuditorModule,
      ],
    };
  }
}
