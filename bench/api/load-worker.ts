/**
 * The load generator of the API load bench, run as its own process (forked by
 * api-load.bench.ts, so autocannon never shares a process with the server it measures).
 * Receives one LoadJob over IPC, runs autocannon and answers with a LoadOutcome.
 *
 * Mixed mode: each request is drawn at random, `readShare` of them GET /families/:id as a
 * caseworker of a unit with a part in the family (the seed gives those units consent), the
 * rest commands (a need in the caseworker's own words, or a NAV payment) with an
 * Idempotency-Key unique per request. Baseline mode: GET /baseline/:id on random families.
 * A family of a generated store names the one unit with a part in it (`unit`): its caseworkers
 * then do all of that family's reads and commands (a need for the adult, a payment the unit funds).
 */
import { randomUUID } from 'node:crypto';
// autocannon ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

/** The fields of autocannon's result read here. */
interface AutocannonResult {
  duration?: number;
  requests: { total: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadFamily {
  familyId: string;
  adultId: string;
  childId: string;
  /** The unit whose caseworkers act on this family; none: the seeded families' three units. */
  unit?: string;
}

export interface LoadJob {
  mode: 'baseline' | 'mixed';
  url: string;
  connections: number;
  durationSeconds: number;
  families: LoadFamily[];
  /** Bearer tokens of caseworkers per unit (mixed mode). */
  tokens?: Record<string, string[]>;
  readShare?: number;
}

export interface LoadOutcome {
  requestsPerSecond: number;
  totalRequests: number;
  durationSeconds: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Status codes per request kind, from the responses themselves. */
  statuses: Record<string, Record<string, number>>;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];

function run(job: LoadJob): Promise<LoadOutcome> {
  const statuses: Record<string, Record<string, number>> = {};
  const count = (kind: string, status: number) => {
    const byStatus = (statuses[kind] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  };
  const readShare = job.readShare ?? 0.8;
  const tokens = job.tokens ?? {};
  const readerUnits = ['NAV', 'BFT', 'HVK'].filter((u) => tokens[u]?.length);

  const request =
    job.mode === 'baseline'
      ? {
          setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
            context.kind = 'baseline';
            return { ...req, method: 'GET', path: `/baseline/${pick(job.families).familyId}` };
          },
          onResponse: (status: number, _body: string, context: Record<string, unknown>) => count(String(context.kind), status),
        }
      : {
          setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
            const family = pick(job.families);
            if (Math.random() < readShare) {
              context.kind = 'view read';
              return {
                ...req,
                method: 'GET',
                path: `/families/${family.familyId}`,
                headers: { authorization: `Bearer ${pick(tokens[family.unit ?? pick(readerUnits)])}` },
                body: undefined,
              };
            }
            const headers = { 'content-type': 'application/json', 'idempotency-key': `bench-${randomUUID()}` };
            if (family.unit) {
              const unit = family.unit;
              if (Math.random() < 0.5) {
                context.kind = 'command: express need';
                const body = { needId: randomUUID(), memberId: family.adultId, words: `Bench need from ${unit}`, expressedOn: '2026-11-02' };
                return {
                  ...req,
                  method: 'POST',
                  path: `/families/${family.familyId}/needs`,
                  headers: { ...headers, authorization: `Bearer ${pick(tokens[unit])}` },
                  body: JSON.stringify(body),
                };
              }
              context.kind = 'command: record payment';
              const body = {
                paymentId: randomUUID(),
                recipientMemberId: family.adultId,
                amountOre: 12_500,
                method: 'bank-transfer',
                funding: { kind: 'unit', unit },
                documentationRef: 'BENCH-BILAG',
                paidOn: '2026-11-03',
              };
              return {
                ...req,
                method: 'POST',
                path: `/families/${family.familyId}/payments`,
                headers: { ...headers, authorization: `Bearer ${pick(tokens[unit])}` },
                body: JSON.stringify(body),
              };
            }
            if (Math.random() < 0.5) {
              context.kind = 'command: express need';
              const unit = pick(readerUnits);
              const body = {
                needId: randomUUID(),
                memberId: unit === 'BFT' ? family.childId : family.adultId,
                words: `Bench need from ${unit}`,
                expressedOn: '2026-11-02',
              };
              return {
                ...req,
                method: 'POST',
                path: `/families/${family.familyId}/needs`,
                headers: { ...headers, authorization: `Bearer ${pick(tokens[unit])}` },
                body: JSON.stringify(body),
              };
            }
            context.kind = 'command: record payment';
            const body = {
              paymentId: randomUUID(),
              recipientMemberId: family.adultId,
              amountOre: 12_500,
              method: 'bank-transfer',
              funding: { kind: 'unit', unit: 'NAV' },
              documentationRef: 'BENCH-BILAG',
              paidOn: '2026-11-03',
            };
            return {
              ...req,
              method: 'POST',
              path: `/families/${family.familyId}/payments`,
              headers: { ...headers, authorization: `Bearer ${pick(tokens.NAV)}` },
              body: JSON.stringify(body),
            };
          },
          onResponse: (status: number, _body: string, context: Record<string, unknown>) => count(String(context.kind), status),
        };

  return new Promise((resolve, reject) => {
    autocannon(
      { url: job.url, connections: job.connections, duration: job.durationSeconds, requests: [request], timeout: 10 },
      (error: unknown, result: AutocannonResult) => {
        if (error) return reject(error);
        const seconds = result.duration ?? job.durationSeconds;
        resolve({
          requestsPerSecond: result.requests.total / seconds,
          totalRequests: result.requests.total,
          durationSeconds: seconds,
          latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
          statuses,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
  });
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (outcome) => process.send!({ outcome }, () => process.exit(0)),
    (error) => process.send!({ error: error instanceof Error ? error.stack : String(error) }, () => process.exit(1)),
  );
});
