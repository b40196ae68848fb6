/**
 * Command bench (issue 15): one command on a large family against one on a small family.
 * Issue 15's target: the cost of a command and its projection update must not depend on how many
 * records the family has (a family with 2,400 needs within 1.5x of one with 10 records).
 *
 * Two families on one PostgreSQL (DATABASE_URL, else an embedded server with durable settings):
 * - small: registered with two members and a contact person, then needs up to 10 records;
 * - large: the same, grown to BENCH_LARGE_NEEDS (2,400) needs, appended in batches of 200
 *   through the store with the expected revision, each event decided by the domain.
 * Both are projected first. Then BENCH_COMMANDS (20) ExpressNeed commands on each, alternating,
 * after one warm-up each, through the real command path: StreamCommandHandler (load, decide,
 * append) and then the family view projection applied as the runner applies a batch (one
 * transaction: checkpoint row locked, apply, checkpoint moved). Per command: wall time of the
 * two, and WAL bytes (pg_current_wal_insert_lsn before and after).
 *
 * `npm run bench:command`; the table goes to stdout, the figures to bench/results/command.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StreamCommandHandler, type CommandEnvelope } from '@familievedtak/application';
import {
  decideFamily,
  EVENT_SCHEMA_VERSION,
  evolveFamily,
  familyStreamId,
  foldFamily,
  initialFamilyState,
  TRONDHEIM_2023_RULE_SET,
  type Actor,
  type DecisionContext,
  type FamilyCommand,
  type FamilyEvent,
  type FamilyState,
} from '@familievedtak/domain';
import { PostgresEventStore, type JsonObject, type RecordedEvent } from '@familievedtak/event-store';
import { createReadModelDataSource, FamilyViewProjection } from '@familievedtak/projections';
import type { DataSource } from 'typeorm';
import type { BenchRow } from '../bench-row';
import { median } from '../data/memory';
import { createPool, openServer } from '../store/server';

const caseworker: Actor = { userId: 'bench-nav', role: 'caseworker', unit: 'NAV' };
const GROW_BATCH = 200;
/** Issue 15: a command on the large family within this factor of one on the small family. */
export const MAX_LARGE_TO_SMALL = 1.5;

type Sample = { ms: number; commandMs: number; projectionMs: number; walBytes: number };
export type FamilyResult = { family: string; needs: number; records: number; events: number; samples: Sample[] };
export type CommandBenchResult = {
  commands: number;
  small: FamilyResult & Summary;
  large: FamilyResult & Summary;
  ratio: { ms: number; walBytes: number };
};
type Summary = { medianMs: number; medianCommandMs: number; medianProjectionMs: number; medianWalBytes: number };

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const context = (): DecisionContext => ({ now: new Date(), newId: randomUUID, actor: caseworker, ruleSet: TRONDHEIM_2023_RULE_SET });
const envelope = (commandType: string): CommandEnvelope => {
  const commandId = randomUUID();
  return {
    commandId,
    commandType,
    correlationId: commandId,
    causationId: commandId,
    actor: { userId: caseworker.userId, unit: caseworker.unit ?? null, role: caseworker.role, partnerOrganisation: null },
    ruleSetId: TRONDHEIM_2023_RULE_SET.id,
    idempotencyKey: null,
  };
};
const register = (familyId: string): FamilyCommand => ({
  type: 'RegisterFamily',
  data: {
    familyId,
    district: 'Heimdal',
    members: [
      { memberId: 'm-1', name: 'Forelder', birthDate: '1985-03-01', role: 'adult' },
      { memberId: 'm-2', name: 'Barn', birthDate: '2015-09-01', role: 'child' },
    ],
  },
});
const needCommand = (needId: string): FamilyCommand => ({
  type: 'ExpressNeed',
  data: { needId, memberId: 'm-1', words: `Behov ${needId}: hjelp med regningene denne måneden.` },
});
/** The state's record maps but members (as RECORD_KINDS in family-view.state-store.ts; listed here so the bench also runs on the layout before it). */
const RECORD_MAPS = [
  'team',
  'needs',
  'consents',
  'decisions',
  'appeals',
  'notifications',
  'payments',
  'familyDecisions',
  'parts',
  'referrals',
  'enrolments',
  'parentalResponsibility',
  'familyPlans',
  'letters',
] as const;
const recordCount = (state: FamilyState) => RECORD_MAPS.reduce((sum, kind) => sum + Object.keys(state[kind] ?? {}).length, 0);

/** The projection's batch as the runner commits it: checkpoint locked and checked, apply, checkpoint moved. */
async function applyAsRunner(dataSource: DataSource, projection: FamilyViewProjection, events: RecordedEvent[]): Promise<void> {
  if (!events.length) return;
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT position FROM projections.checkpoints WHERE name = $1 FOR UPDATE', [projection.name]);
    await projection.apply(events, manager);
    await manager.query('UPDATE projections.checkpoints SET position = $2, updated_at = now() WHERE name = $1', [
      projection.name,
      events[events.length - 1].globalPosition.toString(),
    ]);
  });
}

/** Registers the family and adds `needs` needs: decided one by one, appended `GROW_BATCH` events at a time. */
async function createFamily(store: PostgresEventStore, familyId: string, needs: number): Promise<{ state: FamilyState; revision: number }> {
  const streamId = familyStreamId(familyId);
  let state = initialFamilyState();
  let revision = -1;
  const commands: FamilyCommand[] = [
    register(familyId),
    { type: 'JoinContactPerson', data: { personId: 'p-1', name: 'Kontakt', affiliation: { kind: 'unit', unit: 'NAV' } } },
    ...Array.from({ length: needs }, (_, i) => needCommand(`n-${i + 1}`)),
  ];
  for (let at = 0; at < commands.length; at += GROW_BATCH) {
    const batch: FamilyEvent[] = [];
    for (const command of commands.slice(at, at + GROW_BATCH)) {
      const events = decideFamily(command, state, context());
      state = foldFamily(events, state);
      batch.push(...events);
    }
    const metadata: JsonObject = { commandType: 'bench-setup', actor: caseworker as unknown as JsonObject, schemaVersion: EVENT_SCHEMA_VERSION };
    const result = await store.appendToStream(
      streamId,
      batch.map((e) => ({ id: randomUUID(), type: e.type, data: e.data as JsonObject, metadata })),
      { expectedRevision: revision < 0 ? 'no_stream' : revision },
    );
    revision = result.nextExpectedRevision;
  }
  return { state, revision };
}

export async function runCommandBench(
  log: (line: string) => void = (l) => process.stderr.write(`[bench:command] ${l}\n`),
): Promise<{ rows: BenchRow[]; result: CommandBenchResult }> {
  const commands = Number(process.env.BENCH_COMMANDS ?? 20);
  const largeNeeds = Number(process.env.BENCH_LARGE_NEEDS ?? 2400);
  const server = await openServer(log);
  const url = await server.freshDatabase('fv_bench_command');
  const pool = createPool(url, 4);
  pool.on('error', () => undefined); // idle connections ended when the server stops
  const store = new PostgresEventStore({ pool });
  const dataSource = createReadModelDataSource(url, 4);
  try {
    await store.migrate();
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.query(`INSERT INTO projections.checkpoints (name) VALUES ('family-view') ON CONFLICT DO NOTHING`);

    // The small family: 10 records besides its 2 members (a contact person, its unit's part, 8 needs).
    const families = [
      { family: 'small', familyId: `small-${randomUUID().slice(0, 8)}`, needs: 8 },
      { family: 'large', familyId: `large-${randomUUID().slice(0, 8)}`, needs: largeNeeds },
    ];
    const projection = new FamilyViewProjection();
    const setUp = new Map<string, { familyId: string; state: FamilyState; revision: number }>();
    for (const f of families) {
      const created = await createFamily(store, f.familyId, f.needs);
      setUp.set(f.family, { familyId: f.familyId, ...created });
      log(`${f.family}: ${created.revision + 1} events, ${recordCount(created.state)} records`);
    }
    // Projected as the runner would catch up, in pages of 1,000.
    for (let from = 0n; ;) {
      const page = await store.readAll({ fromPosition: from, maxCount: 1000, filter: projection.filter });
      await applyAsRunner(dataSource, projection, page);
      if (page.length < 1000) break;
      from = page[page.length - 1].globalPosition;
    }
    await server.checkpoint();

    const handler = new StreamCommandHandler(store, {
      decide: decideFamily,
      evolve: evolveFamily,
      fold: (events, state) => foldFamily(events, state),
      initialState: initialFamilyState,
    });
    const wal = async () => (await pool.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn;
    const walBetween = async (from: string, to: string) =>
      Number((await pool.query<{ d: string }>('SELECT pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::bigint AS d', [from, to])).rows[0].d);
    const samples = new Map<string, Sample[]>(families.map((f) => [f.family, []]));
    let next = 0;
    const once = async (family: string): Promise<Sample> => {
      const { familyId } = setUp.get(family)!;
      const command = needCommand(`bench-${++next}`);
      const lsn = await wal();
      const start = process.hrtime.bigint();
      const result = await handler.handle(familyStreamId(familyId), command, {
        envelope: envelope(command.type),
        context: context(),
        schemaVersion: EVENT_SCHEMA_VERSION,
      });
      const commandMs = ms(start);
      const projected = process.hrtime.bigint();
      await applyAsRunner(dataSource, projection, result.events);
      const projectionMs = ms(projected);
      const total = ms(start);
      return { ms: total, commandMs, projectionMs, walBytes: await walBetween(lsn, await wal()) };
    };
    // One warm-up each: the handler's and the projection's caches hold both families, as in a running API.
    for (const f of families) await once(f.family);
    for (let i = 0; i < commands; i++) for (const f of families) samples.get(f.family)!.push(await once(f.family));

    const summarise = (family: string, needs: number): FamilyResult & Summary => {
      const list = samples.get(family)!;
      const { state, revision } = setUp.get(family)!;
      return {
        family,
        needs,
        records: recordCount(state),
        events: revision + 1,
        samples: list,
        medianMs: round(median(list.map((s) => s.ms))),
        medianCommandMs: round(median(list.map((s) => s.commandMs))),
        medianProjectionMs: round(median(list.map((s) => s.projectionMs))),
        medianWalBytes: Math.round(median(list.map((s) => s.walBytes))),
      };
    };
    const small = summarise('small', families[0].needs);
    const large = summarise('large', families[1].needs);
    const result: CommandBenchResult = {
      commands,
      small,
      large,
      ratio: { ms: round(large.medianMs / small.medianMs), walBytes: round(large.medianWalBytes / small.medianWalBytes) },
    };
    return { rows: commandRows(result), result };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await store.close();
    await server.close(false);
  }
}

export function commandRows(r: CommandBenchResult): BenchRow[] {
  const note = (f: Summary) => `median of ${r.commands}: load+decide+append ${f.medianCommandMs} ms, projection ${f.medianProjectionMs} ms`;
  return [
    {
      area: 'command, large family',
      metric: 'ms per command',
      value: r.large.medianMs,
      baseline: { name: `${r.small.records} records`, value: r.small.medianMs },
      ratio: r.ratio.ms,
      target: `<= ${MAX_LARGE_TO_SMALL} x the small family`,
      met: r.ratio.ms <= MAX_LARGE_TO_SMALL,
      note: `${r.large.needs.toLocaleString('en-US')} needs, ${r.large.events.toLocaleString('en-US')} events; ${note(r.large)} (small: ${note(r.small)})`,
    },
    {
      area: 'command, large family',
      metric: 'WAL bytes per command',
      value: r.large.medianWalBytes,
      baseline: { name: `${r.small.records} records`, value: r.small.medianWalBytes },
      ratio: r.ratio.walBytes,
      target: `<= ${MAX_LARGE_TO_SMALL} x the small family`,
      met: r.ratio.walBytes <= MAX_LARGE_TO_SMALL,
      note: 'pg_current_wal_insert_lsn before and after: the event append, the projection and the checkpoint',
    },
  ];
}

function renderTable(rows: BenchRow[]): string {
  const lines = ['| area | metric | value | baseline | ratio | target | met | note |', '| --- | --- | ---: | ---: | ---: | --- | :---: | --- |'];
  for (const r of rows) {
    const baseline = r.baseline ? `${r.baseline.value.toLocaleString('en-US')} (${r.baseline.name})` : '';
    const met = r.met === undefined ? '' : r.met ? 'yes' : '**NO**';
    lines.push(
      `| ${r.area} | ${r.metric} | ${r.value.toLocaleString('en-US')} | ${baseline} | ${r.ratio === undefined ? '' : `${r.ratio}x`} | ${r.target ?? ''} | ${met} | ${r.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  runCommandBench().then(
    async ({ rows, result }) => {
      console.log(renderTable(rows));
      const dir = join(__dirname, '..', '..', '..', 'bench', 'results');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'command.json'), `${JSON.stringify({ rows, ...result }, null, 2)}\n`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
