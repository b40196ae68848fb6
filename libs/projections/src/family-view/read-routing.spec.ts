import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { createReadModelDataSource } from '../read-model-data-source';
import { runReadModelMigrations } from '../read-model-migrations';
import { FamilyViewQueries } from './family-view.queries';
import {
  createFamilyViewReadRouting,
  createReplicaDataSource,
  FamilyViewReadRouting,
  parseMinRevision,
  REPLICA_APPLICATION_NAME,
  type RevisionOf,
} from './read-routing';

const FAMILY = 'f-1';

/** A view row's revision that a test moves; `looks` counts the reads of it. */
function revisionSource(initial: number | undefined) {
  const source = { revision: initial, looks: 0, onLook: undefined as undefined | ((look: number) => void) };
  const revisionOf: RevisionOf = async (familyId) => {
    source.looks++;
    source.onLook?.(source.looks);
    return familyId === FAMILY ? source.revision : undefined;
  };
  return { source, revisionOf };
}

describe('FamilyViewReadRouting: replica reads with read-your-writes', () => {
  // Identity is all that is compared: which instance the routing hands back.
  const primary = new FamilyViewQueries({} as DataSource);
  const replicaQueries = new FamilyViewQueries({} as DataSource);

  const routingWith = (replicaRevision: number | undefined, primaryRevision: number | undefined, waitMs = 40) => {
    const replica = revisionSource(replicaRevision);
    const onPrimary = revisionSource(primaryRevision);
    const routing = new FamilyViewReadRouting({ queries: replicaQueries, revisionOf: replica.revisionOf }, onPrimary.revisionOf, { waitMs, pollMs: 2 });
    return { routing, replica: replica.source, onPrimary: onPrimary.source };
  };

  it('reads the replica when the client names no revision, without looking at any row', async () => {
    const { routing, replica, onPrimary } = routingWith(3, 9);
    expect(await routing.forFamily(primary, FAMILY, undefined)).toBe(replicaQueries);
    expect(routing.forList(primary, undefined)).toBe(replicaQueries);
    expect([replica.looks, onPrimary.looks]).toEqual([0, 0]);
    expect(routing.served).toMatchObject({ replica: 2, primary: 0 });
  });

  it('reads the replica at once when its row has the named revision (or a later one)', async () => {
    const { routing, replica } = routingWith(7, 7);
    expect(await routing.forFamily(primary, FAMILY, '7')).toBe(replicaQueries);
    expect(await routing.forFamily(primary, FAMILY, '"5"')).toBe(replicaQueries);
    expect(replica.looks).toBe(2);
    expect(routing.served).toMatchObject({ replica: 2, waitedForReplica: 0, primary: 0 });
  });

  it('waits for a replica that catches up within the bound, and reads it', async () => {
    const { routing, replica, onPrimary } = routingWith(4, 8, 5_000);
    replica.onLook = (look) => {
      if (look === 4) replica.revision = 8; // replay reaches the write on the fourth look
    };
    expect(await routing.forFamily(primary, FAMILY, '8')).toBe(replicaQueries);
    expect(replica.looks).toBe(4);
    expect(onPrimary.looks).toBe(0);
    expect(routing.served).toMatchObject({ replica: 1, waitedForReplica: 1, primary: 0 });
  });

  it('serves from the primary once the bound has passed, never the replica that is behind', async () => {
    const { routing, replica } = routingWith(4, 8, 40);
    const started = Date.now();
    expect(await routing.forFamily(primary, FAMILY, '8')).toBe(primary);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(replica.looks).toBeGreaterThan(1);
    expect(routing.served).toMatchObject({ replica: 0, primary: 1 });
  });

  it('treats a family the replica has no row for yet as behind', async () => {
    const { routing } = routingWith(undefined, 0, 10);
    expect(await routing.forFamily(primary, FAMILY, '0')).toBe(primary);
  });

  it('waits for the primary projection too, and refuses (never an older revision) when it is still behind', async () => {
    // A bound well above what three looks take (polls of 2 ms), so a loaded machine still gets its third look in.
    const caughtUp = routingWith(1, 2, 500);
    caughtUp.onPrimary.onLook = (look) => {
      if (look === 3) caughtUp.onPrimary.revision = 3;
    };
    expect(await caughtUp.routing.forFamily(primary, FAMILY, '3')).toBe(primary);

    const behind = routingWith(1, 2, 20);
    await expect(behind.routing.forFamily(primary, FAMILY, '3')).rejects.toThrow('has not reached revision 3 yet (it shows 2)');
    expect(behind.routing.served).toMatchObject({ replica: 0, primary: 0, notCaughtUp: 1 });
  });

  it('serves a list that names a revision from the primary (a list has no one revision to wait for)', () => {
    const { routing } = routingWith(1, 1);
    expect(routing.forList(primary, '1')).toBe(primary);
  });

  it('reads everything from the primary without a replica, and still refuses a malformed header', async () => {
    const routing = new FamilyViewReadRouting(undefined, revisionSource(0).revisionOf, { waitMs: 10 });
    expect(await routing.forFamily(primary, FAMILY, '12')).toBe(primary);
    expect(routing.forList(primary, undefined)).toBe(primary);
    await expect(routing.forFamily(primary, FAMILY, 'abc')).rejects.toThrow(RangeError);
  });

  it('uses the errors it is given (the API maps them to 400 and 503)', async () => {
    class Invalid extends Error {}
    class NotCaughtUp extends Error {}
    const routing = new FamilyViewReadRouting({ queries: replicaQueries, revisionOf: async () => 0 }, async () => 0, {
      waitMs: 0,
      errors: { invalidMinRevision: (d) => new Invalid(d), notCaughtUp: (d) => new NotCaughtUp(d) },
    });
    await expect(routing.forFamily(primary, FAMILY, '-1')).rejects.toBeInstanceOf(Invalid);
    expect(() => routing.forList(primary, ['1', '2'])).toThrow(Invalid);
    await expect(routing.forFamily(primary, FAMILY, '1')).rejects.toBeInstanceOf(NotCaughtUp);
  });

  it('parses a revision or the ETag form, nothing else', () => {
    expect(parseMinRevision(undefined)).toBeUndefined();
    expect(parseMinRevision(' ')).toBeUndefined();
    expect(parseMinRevision('0')).toBe(0);
    expect(parseMinRevision(' "42" ')).toBe(42);
    for (const bad of ['-1', '1.5', '"7', 'W/"7"', '1e3', '9'.repeat(16), 'seven']) expect(() => parseMinRevision(bad)).toThrow(RangeError);
  });
});

describe('The replica DataSource (PostgreSQL)', () => {
  let db: TestDatabase;
  let primary: DataSource;
  let replica: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase(2);
    primary = createReadModelDataSource(db.url, 2);
    await primary.initialize();
    await runReadModelMigrations(primary);
    // The same database stands in for a replica here: what matters is what the pool may do.
    replica = createReplicaDataSource(db.url, 2);
    await replica.initialize();
  });
  afterAll(async () => {
    await replica?.destroy();
    await primary?.destroy();
    await db?.drop();
  });

  it('cannot write, even when DATABASE_READ_URL names the primary by mistake', async () => {
    await expect(replica.query('CREATE TABLE read_models.must_not_exist (id int)')).rejects.toMatchObject({ code: '25006' });
    const [{ readOnly, name }] = await replica.query(
      `SELECT current_setting('default_transaction_read_only') AS "readOnly", current_setting('application_name') AS name`,
    );
    expect({ readOnly, name }).toEqual({ readOnly: 'on', name: REPLICA_APPLICATION_NAME });
  });

  it('routes over real pools: no row yet means behind, so a named revision is refused after the bounds', async () => {
    const { routing, close } = await createFamilyViewReadRouting(primary, { databaseReadUrl: db.url, readYourWritesWaitMs: 0 });
    try {
      const mine = new FamilyViewQueries(primary);
      expect(routing.hasReplica).toBe(true);
      expect(await routing.forFamily(mine, 'no-such-family', undefined)).not.toBe(mine);
      await expect(routing.forFamily(mine, 'no-such-family', '0')).rejects.toThrow('has not reached revision 0 yet (it shows nothing)');
    } finally {
      await close();
    }
  });
});
