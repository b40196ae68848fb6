/** Bench knobs, from the environment so CI and a laptop can run the same entry point. */
export interface BenchConfig {
  /** Concurrent writers in the append workload. */
  writers: number;
  /** Single-event appends per writer (measured). */
  appendsPerWriter: number;
  /** Untimed single-event appends per writer before each system's measured run. */
  warmupPerWriter: number;
  /** Append rounds; each round runs every system once (interleaved), the median is reported. */
  appendRounds: number;
  /** Events pre-loaded for the full read. */
  readEvents: number;
  /** Page size of a paged read ($all for us, readMessagesBatch for Emmett). */
  readPageSize: number;
  /** Events per append call while pre-loading the read dataset. */
  preloadBatch: number;
  /** Timed full reads per system; the median is reported. */
  readRuns: number;
  /** Connections per system pool (must exceed `writers` so no writer waits for a connection). */
  poolSize: number;
  /** Diagnostic append variants that show where our append time goes: 'auto' runs them when
   *  the append-vs-raw target is missed. */
  diagnostics: 'auto' | 'on' | 'off';
  /** Keep the bench databases afterwards (only matters with DATABASE_URL). */
  keepDatabases: boolean;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function mode(env: NodeJS.ProcessEnv, name: string): 'auto' | 'on' | 'off' {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'auto') return 'auto';
  return /^(0|false|no|off)$/.test(raw) ? 'off' : 'on';
}

const flag = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean =>
  env[name] === undefined || env[name] === '' ? fallback : !/^(0|false|no|off)$/i.test(env[name]!);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const writers = int(env, 'BENCH_WRITERS', 16);
  return {
    writers,
    appendsPerWriter: int(env, 'BENCH_APPENDS_PER_WRITER', 500),
    warmupPerWriter: int(env, 'BENCH_WARMUP_PER_WRITER', 25, 0),
    appendRounds: int(env, 'BENCH_APPEND_ROUNDS', 3),
    readEvents: int(env, 'BENCH_READ_EVENTS', 100_000),
    readPageSize: int(env, 'BENCH_READ_PAGE', 1000),
    preloadBatch: int(env, 'BENCH_PRELOAD_BATCH', 100),
    readRuns: int(env, 'BENCH_READ_RUNS', 3),
    poolSize: Math.max(20, writers + 4),
    diagnostics: mode(env, 'BENCH_DIAGNOSTICS'),
    keepDatabases: flag(env, 'BENCH_KEEP_DATABASES', false),
  };
}
