/**
 * Money bench (issue 12): payments from one sub-project budget, as payments per second.
 * - single payments one at a time (the baseline), and 8 and 24 at once on the same budget (the
 *   per-budget queue should keep this from collapsing: the issue measured 73/s against 27/s),
 *   each reported as a ratio against one at a time; the three are measured in interleaved
 *   rounds (median per level), so a change in the shared machine's load weighs on all alike;
 * - a payment run (one command, one appendToStreams) against single payments one at a time.
 * All through the API's services (SubProjectPayments, PaymentRuns; no HTTP), atomic mode, on
 * one PostgreSQL (DATABASE_URL, else an embedded server with durable settings), in one run.
 *
 * `node dist/bench/money/money.bench.js` after `npm run build`. BENCH_MONEY_PAYMENTS (240)
 * single payments per figure and round, BENCH_MONEY_ROUNDS (3), BENCH_MONEY_RUN (1,248) payments in the run.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '@familievedtak/domain';
import { PostgresEventStore, systemClock } from '@familievedtak/event-store';
import { FamilyCommandsService } from '../../apps/api/src/families/family-commands.service';
import { PaymentRuns } from '../../apps/api/src/money/payment-runs.service';
import { SubProjectPayments } from '../../apps/api/src/money/sub-project-payments.service';
import { RuleSetRegistry } from '../../apps/api/src/rules/rule-set-registry.service';
import { SubProjectCommandsService } from '../../apps/api/src/sub-projects/sub-project-commands.service';
import type { BenchRow } from '../bench-row';
import { createPool, openServer } from '../store/server';

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const caseworker: Actor = { userId: 'bench-hvk', role: 'caseworker', unit: 'HVK' };
const leader: Actor = { userId: 'bench-leder', role: 'unit-leader', unit: 'HVK' };
const MONTHLY_ORE = 160_000;

export async function runMoneyBench(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<BenchRow[]> {
  const payments = Number(process.env.BENCH_MONEY_PAYMENTS ?? 240);
  const runSize = Number(process.env.BENCH_MONEY_RUN ?? 1248);
  const rounds = Math.max(1, Number(process.env.BENCH_MONEY_ROUNDS ?? 3));
  const server = await openServer(log);
  const pool = createPool(await server.freshDatabase('fv_bench_money'), 40);
  pool.on('error', () => undefined); // idle connections ended when the server stops
  const store = new PostgresEventStore({ pool });
  try {
    await store.migrate();
    const ruleSets = new RuleSetRegistry(store);
    const subProjects = new SubProjectCommandsService(store, systemClock);
    const money = new SubProjectPayments(store, systemClock, ruleSets);
    const families = new FamilyCommandsService(store, systemClock, subProjects, ruleSets, undefined, money);
    const runs = new PaymentRuns(money);
    const today = new Date().toISOString().slice(0, 10);
    const semester = `${new Date().getUTCFullYear()}-${new Date().getUTCMonth() < 6 ? 'spring' : 'autumn'}`;
    const approve = async () => {
      const subProjectId = `bench-${randomUUID().slice(0, 8)}`;
      await subProjects.execute(
        subProjectId,
        {
          type: 'ApproveSubProject',
          data: {
            subProjectId,
            name: 'Bench',
            actors: [
              { name: 'HVK', municipal: true, unit: 'HVK' },
              { name: 'School', municipal: true },
              { name: 'Red Cross', municipal: false, organisationNumber: '974123456' },
            ],
            responsibleUnit: 'HVK',
            semesterBudgetOre: 10_000_000_000,
            goals: ['bench'],
            firstSemester: semester as never,
          },
        },
        { actor: leader },
      );
      return subProjectId;
    };
    const register = async (children: number) => {
      const familyId = randomUUID();
      const members = [
        { memberId: randomUUID(), name: 'Parent', birthDate: '1985-01-01', role: 'adult' as const },
        ...Array.from({ length: children }, (_, c) => ({ memberId: randomUUID(), name: `Child ${c}`, birthDate: `201${c}-05-05`, role: 'child' as const })),
      ];
      await families.execute(familyId, { type: 'RegisterFamily', data: { familyId, district: 'Heimdal', members } } as never, { actor: caseworker });
      return { familyId, childIds: members.slice(1).map((m) => m.memberId) };
    };
    log(`registering families for ${payments} single payments and a run of ${runSize}...`);
    const singles = await Promise.all(Array.from({ length: 24 }, () => register(2)));
    const runFamilies: Array<{ familyId: string; childIds: string[] }> = [];
    for (let i = 0; i < Math.ceil(runSize / 8); i++) runFamilies.push(await register(8));

    const pay = (subProjectId: string, i: number) => {
      const family = singles[i % singles.length];
      return families.execute(
        family.familyId,
        {
          type: 'RecordPayment',
          data: {
            recipientMemberId: family.childIds[0],
            amountOre: MONTHLY_ORE,
            method: 'bank-transfer',
            funding: { kind: 'sub-project', subProjectId },
            documentationRef: `B-${i}`,
            paidOn: today,
          },
        },
        { actor: caseworker },
      );
    };
    const singlesPerSecond = async (parallel: number) => {
      const subProjectId = await approve();
      await pay(subProjectId, payments); // warm the caches (not counted)
      let next = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (next < payments) await pay(subProjectId, next++);
        }),
      );
      return payments / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    const LEVELS = [1, 8, 24] as const;
    const measured = new Map<number, number[]>(LEVELS.map((p) => [p, []]));
    for (let r = 1; r <= rounds; r++) {
      for (const parallel of LEVELS) measured.get(parallel)!.push(await singlesPerSecond(parallel));
      log(`round ${r}: ${LEVELS.map((p) => `${p} at once ${round(measured.get(p)![r - 1])}/s`).join(', ')}`);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const rate = (parallel: number) => median(measured.get(parallel)!);
    const perRound = (parallel: number) =>
      measured
        .get(parallel)!
        .map((v, i) => round(v / measured.get(1)![i], 2))
        .join(', ');
    const one = rate(1);
    const runSubProject = await approve();
    const items = runFamilies
      .flatMap((f) => f.childIds.map((recipientMemberId) => ({ familyId: f.familyId, recipientMemberId, amountOre: MONTHLY_ORE, documentationRef: 'RUN' })))
      .slice(0, runSize);
    const started = process.hrtime.bigint();
    const result = await runs.record(runSubProject, { runId: 'bench-run', description: 'bench', paidOn: today, payments: items }, { actor: caseworker });
    const runSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const runRate = result.count / runSeconds;
    log(`payment run of ${result.count}: ${round(runSeconds, 2)} s, ${round(runRate)}/s`);
    return [
      {
        area: 'money',
        metric: 'single payments/s, 1 at a time on one budget',
        value: round(one),
        note: `${payments} payments per round, median of ${rounds} rounds (${measured
          .get(1)!
          .map((v) => round(v))
          .join(', ')})`,
      },
      ...([8, 24] as const).map((parallel): BenchRow => ({
        area: 'money',
        metric: `single payments/s, ${parallel} at once on one budget`,
        value: round(rate(parallel)),
        baseline: { name: 'one at a time', value: round(one) },
        ratio: round(rate(parallel) / one, 2),
        target: '>= 1 (no collapse under concurrency)',
        met: rate(parallel) >= one,
        note: `${payments} payments per round, median of ${rounds} interleaved rounds (ratio per round: ${perRound(parallel)}); atomic appendToStreams; per-budget queue`,
      })),
      {
        area: 'money',
        metric: 'payments/s in one payment run',
        value: round(runRate),
        baseline: { name: 'single payments one at a time', value: round(one) },
        ratio: round(runRate / one, 2),
        note: `${result.count} payments to ${runFamilies.length} families in ${round(runSeconds, 2)} s (one appendToStreams over ${runFamilies.length + 1} streams)`,
      },
    ];
  } finally {
    await store.close();
    await pool.end();
    await server.close(false);
  }
}

if (require.main === module) {
  runMoneyBench()
    .then((rows) => {
      for (const r of rows) {
        const baseline = r.baseline ? ` | ${r.baseline.value} (${r.baseline.name}) | ${r.ratio ?? ''}x` : ' | | ';
        process.stdout.write(
          `| ${r.area} | ${r.metric} | ${r.value}${baseline} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} | ${r.note ?? ''} |\n`,
        );
      }
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
