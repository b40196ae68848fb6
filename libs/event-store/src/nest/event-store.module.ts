import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PG_POOL } from '@familievedtak/database';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres-event-store.adapter';

/** Provides the EventStore port with the adapter that EVENT_STORE selects. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, PG_POOL],
      useFactory: async (config: AppConfig, pool: Pool): Promise<EventStore> => {
        if (config.eventStore === 'eventstoredb') {
          // Loaded only when chosen: the gRPC client costs tens of MB a PostgreSQL deployment never uses.
          const { EventStoreDbEventStore } = await import('../eventstoredb');
          return EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString!);
        }
        const store = new PostgresEventStore({ pool });
        await store.migrate();
        return store;
      },
    },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
