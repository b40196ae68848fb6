import type { ProjectionStatus } from '@familievedtak/projections';

/**
 * What `GET /health/ready` means. An instance is ready to be sent traffic when:
 *
 * 1. the database answers `SELECT 1` (read models, read audit and, by default, the event log
 *    live there; without it every route but the probes answers 503);
 * 2. the event store answers its head position (for EVENT_STORE=eventstoredb: KurrentDB);
 * 3. when this instance runs projections (RUN_PROJECTIONS, default true), every projection
 *    runner has got past start-up: `running` (it holds the projection's lock and applies
 *    events) or `standby` (another instance holds it). `starting` or `stopped` is not ready.
 *    With RUN_PROJECTIONS=false the runners are stopped by design and not looked at.
 *
 * Projection *lag* is not part of it: all instances share the same read models, so a catch-up
 * after a restart or a rebuild would take every instance out of the load balancer at once (a
 * full outage instead of views a little behind; reads that name X-Min-Revision already wait for
 * their write). `GET /health` reports the lag of each projection for dashboards and alerts.
 *
 * Each check is bounded by READY_CHECK_TIMEOUT_MS, so a hung connection makes the probe answer
 * 503 in time rather than time out.
 */
export const READY_CHECK_TIMEOUT_MS = 2000;

export interface CheckResult {
  ok: boolean;
  error?: string;
}

export interface ReadinessChecks {
  database: CheckResult;
  eventStore: CheckResult & { kind: string };
  /** Whether this instance runs projections (RUN_PROJECTIONS). */
  runsProjections: boolean;
  projections: Array<{ name: string; state: ProjectionStatus['state']; ok: boolean }>;
}

/** The reasons an instance is not ready, in words for an operator (empty: ready). */
export function notReadyReasons(checks: ReadinessChecks): string[] {
  const reasons: string[] = [];
  if (!checks.database.ok) reasons.push(`the database does not answer (${checks.database.error ?? 'unknown error'})`);
  if (!checks.eventStore.ok) reasons.push(`the event store (${checks.eventStore.kind}) does not answer (${checks.eventStore.error ?? 'unknown error'})`);
  for (const projection of checks.projections) {
    if (!projection.ok) reasons.push(`projection ${projection.name} is ${projection.state}`);
  }
  return reasons;
}

/** A projection runner state this instance can serve with. */
export const projectionReady = (state: ProjectionStatus['state'], runsProjections: boolean): boolean =>
  !runsProjections || state === 'running' || state === 'standby';

/** Rejects after `ms` (the work itself cannot be cancelled; its result is then ignored). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} did not answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
