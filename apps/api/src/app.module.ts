import { BadRequestException, DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, DatabaseModule } from '@familievedtak/database';
import { EventStoreModule } from '@familievedtak/event-store';
import { createFamilyViewReadRouting, FamilyViewReadRouting, ProjectionsModule } from '@familievedtak/projections';
import { AuthModule } from './auth/auth.module';
import { AuthSettings } from './auth/auth-settings';
import { AuditorModule } from './auditor/auditor.module';
import { FamiliesModule } from './families/families.module';
import { HealthModule } from './health/health.module';
import { LettersModule } from './letters/letters.module';
import { MoneyModule } from './money/money.module';
import { ReadAuditModule } from './read-audit/read-audit.module';
import { RuleSetBootstrapModule } from './rules/rules.module';
import { WhatIfModule } from './what-if/what-if.module';

const READ_ROUTING = Symbol('READ_ROUTING');
type ReadRoutingHandle = Awaited<ReturnType<typeof createFamilyViewReadRouting>>;

/**
 * Where family view reads go: DATABASE_READ_URL (a streaming replica) when set, else the
 * primary. Everything else (commands, the log, projections, the read audit) stays on the primary.
 */
@Global()
@Module({})
export class FamilyViewReadsModule implements OnApplicationShutdown {
  constructor(@Inject(READ_ROUTING) private readonly handle: ReadRoutingHandle) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: FamilyViewReadsModule,
      providers: [
        {
          provide: READ_ROUTING,
          inject: [DataSource],
          useFactory: async (primary: DataSource): Promise<ReadRoutingHandle> => {
            const handle = await createFamilyViewReadRouting(primary, config, {
              errors: {
                invalidMinRevision: (detail) => new BadRequestException(detail),
                notCaughtUp: (detail) => new ServiceUnavailableException(detail),
              },
            });
            if (config.databaseReadUrl) new Logger('database').log(`family view reads: DATABASE_READ_URL (read-your-writes wait ${config.readYourWritesWaitMs} ms)`);
            return handle;
          },
        },
        { provide: FamilyViewReadRouting, inject: [READ_ROUTING], useFactory: (handle: ReadRoutingHandle) => handle.routing },
      ],
      exports: [FamilyViewReadRouting],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, auth: AuthSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [AuthModule.forRoot(auth), DatabaseModule.forRoot(config), EventStoreModule, ProjectionsModule.forRoot(config), FamilyViewReadsModule.forRoot(config), HealthModule, ReadAuditModule, MoneyModule, FamiliesModule, LettersModule, RuleSetBootstrapModule, WhatIfModule, AuditorModule],
    };
  }
}
