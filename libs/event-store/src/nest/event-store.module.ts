import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PG_POOL } from '@familievedtak/database';
import { Pool } from 'pg';
import { EVENT_STORE, EventStore } from '../event-store.port';
import { KEY_STORE } from '../personal-data/key-store';
import { PersonalDataEventStore } from '../personal-data/personal-data-event-store';
import { withPersonalData } from '../personal-data/with-personal-data';
import { PostgresEventStore } from '../postgres/postgres-event-store.adapter';

/**
 * Provides the EventStore port with the adapter that EVENT_STORE selects, always behind the
 * personal-data decorator (crypto-shredding): everything injected with EVENT_STORE reads and
 * writes plaintext, the adapter stores ciphertext. The key store is in PostgreSQL (PG_POOL)
 * whichever adapter holds the log (KEY_STORE provides it to whoever shreds keys); `verify`
 * reaches the adapter through rawStoreOf.
 */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, PG_POOL],
      useFactory: async (config: AppConfig, pool: Pool): Promise<EventStore> => {
        let inner: EventStore;
        if (config.eventStore === 'eventstoredb') {
          // Loaded only when chosen: the gRPC client costs tens of MB a PostgreSQL deployment never uses.
          const { EventStoreDbEventStore } = await import('../eventstoredb');
          inner = EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString!);
        } else {
          const store = new PostgresEventStore({ pool });
          await store.migrate();
          inner = store;
        }
        const store = withPersonalData(inner, {
          pool,
          keks: config.personalDataKeks,
          cacheSize: config.personalDataKeyCacheSize,
          revalidateAfterMs: config.personalDataKeyRevalidateMs,
        });
        await store.keyStore.migrate(); // for EventStoreDB; a no-op after the PostgreSQL adapter's migrate
        return store;
      },
    },
    // The decorator's key store, for whoever shreds keys (the retention job, erasure on request).
    { provide: KEY_STORE, inject: [EVENT_STORE], useFactory: (store: PersonalDataEventStore) => store.keyStore },
  ],
  exports: [EVENT_STORE, KEY_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
