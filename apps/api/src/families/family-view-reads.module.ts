import { BadRequestException, DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@familievedtak/database';
import { createFamilyViewReadRouting, FamilyViewReadRouting } from '@familievedtak/projections';

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
