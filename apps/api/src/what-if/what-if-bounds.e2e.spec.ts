import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { runWhatIf, type WhatIfOptions } from '@familievedtak/what-if';
import { Headers, TestApp, createTestApp, headersFor } from '../../../../test/support/test-app';
import { appendPrivacyHistory, FAMILY_DECISION_TEST_SET } from '../../../../libs/what-if/src/testing/what-if-history';
import { WhatIfRunner } from './what-if-runner.service';

const analyst: Headers = headersFor({ userId: 'rules-team', role: 'rules-analyst' });
const body = { candidate: FAMILY_DECISION_TEST_SET, baseline: 'trondheim-2023' };

/** A promise with its resolve: a condition a held run waits on, or a test waits for. */
function signal<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The bounds of what-if runs per instance, with small limits (WHAT_IF_MAX_CONCURRENT=1,
 * WHAT_IF_TIMEOUT_MS=100). Runs are held on conditions, never on sleeps: the engine is wrapped
 * so a run waits inside it until the test releases it, or until its own time budget fires.
 */
describe('API: what-if runs are bounded in concurrency and time (PostgreSQL)', () => {
  let api: TestApp;
  let runner: WhatIfRunner;
  const saved = { concurrent: process.env.WHAT_IF_MAX_CONCURRENT, timeout: process.env.WHAT_IF_TIMEOUT_MS };

  beforeAll(async () => {
    process.env.WHAT_IF_MAX_CONCURRENT = '1';
    process.env.WHAT_IF_TIMEOUT_MS = '100';
    api = await createTestApp({ poolSize: 5 });
    await appendPrivacyHistory(api.app.get<EventStore>(EVENT_STORE));
    runner = api.app.get(WhatIfRunner);
  });
  afterAll(async () => {
    process.env.WHAT_IF_MAX_CONCURRENT = saved.concurrent;
    process.env.WHAT_IF_TIMEOUT_MS = saved.timeout;
    if (saved.concurrent === undefined) delete process.env.WHAT_IF_MAX_CONCURRENT;
    if (saved.timeout === undefined) delete process.env.WHAT_IF_TIMEOUT_MS;
    await api.close();
  });
  afterEach(() => {
    runner.engine = runWhatIf;
  });

  /** Runs the real engine without the time budget: the slot tests are about concurrency only. */
  const unbudgeted: WhatIfRunner['engine'] = (store, input) => runWhatIf(store, input);

  it('reads its limits from the environment', () => {
    expect(runner.limits).toEqual({ maxConcurrent: 1, timeoutMs: 100 });
  });

  it('over the concurrency limit: 429 problem details with Retry-After, on the read audit; /health answers meanwhile; the slot frees', async () => {
    const entered = signal();
    const release = signal();
    runner.engine = async (store, input, options) => {
      entered.resolve();
      await release.promise;
      return unbudgeted(store, input, options);
    };
    const held = api.inject('POST', '/what-if/runs', analyst, body);
    await entered.promise;

    const refused = await api.inject('POST', '/what-if/runs', { ...analyst, 'x-purpose': 'busy' }, body);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 429, detail: expect.stringContaining('1 what-if run(s) are already running on this instance') });
    expect((await api.inject('POST', '/what-if/runs/html', analyst, body)).statusCode).toBe(429);
    expect((await api.inject('GET', '/health', {})).statusCode).toBe(200);
    const { rows } = await api.db.pool.query(`SELECT outcome, status FROM audit.read_access WHERE purpose = 'busy'`);
    expect(rows).toEqual([{ outcome: 'deny', status: 429 }]);

    release.resolve();
    expect((await held).statusCode).toBe(200);
    runner.engine = unbudgeted;
    expect((await api.inject('POST', '/what-if/runs', analyst, body)).statusCode).toBe(200);
  });

  it('over the time budget: the engine is stopped and the run answers 503 problem details; nothing stored; the slot frees', async () => {
    const before = await api.eventCount();
    const stoppedAt: number[] = [];
    // Holds until the budget's signal fires, then lets the real engine see it: it stops at its first check.
    runner.engine = async (store, input, options: WhatIfOptions = {}) => {
      const { signal: budget } = options;
      if (!budget) throw new Error('the runner gave the engine no time budget');
      await new Promise((resolve) => (budget.aborted ? resolve(null) : budget.addEventListener('abort', resolve, { once: true })));
      return runWhatIf(store, input, { ...options, onProgress: (done) => stoppedAt.push(done) });
    };
    const response = await api.inject('POST', '/what-if/runs', { ...analyst, 'x-purpose': 'too long' }, body);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.json()).toMatchObject({ status: 503, detail: expect.stringContaining('stopped after 0.1 s (WHAT_IF_TIMEOUT_MS)') });
    expect(response.body).not.toContain('Heimdal');
    expect(stoppedAt).toEqual([]);
    const { rows } = await api.db.pool.query(`SELECT outcome, status FROM audit.read_access WHERE purpose = 'too long'`);
    expect(rows).toEqual([{ outcome: 'deny', status: 503 }]);
    expect(await api.eventCount()).toBe(before);

    runner.engine = unbudgeted;
    expect((await api.inject('POST', '/what-if/runs', analyst, body)).statusCode).toBe(200);
  });
});
