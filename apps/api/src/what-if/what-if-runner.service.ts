import { HttpException, HttpStatus, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { runWhatIf, WhatIfRunStopped, type WhatIfInput, type WhatIfReport } from '@familievedtak/what-if';

/** How many what-if runs one instance makes at once, and how long one may take. */
export type WhatIfLimits = { maxConcurrent: number; timeoutMs: number };
export const WHAT_IF_LIMITS = Symbol('WHAT_IF_LIMITS');
export const DEFAULT_WHAT_IF_LIMITS: WhatIfLimits = { maxConcurrent: 2, timeoutMs: 60_000 };
/** What a refused run is told to wait: a typical run over the demo data takes about a second. */
export const WHAT_IF_RETRY_AFTER_SECONDS = 5;

/** WHAT_IF_MAX_CONCURRENT (default 2) and WHAT_IF_TIMEOUT_MS (default 60000): whole numbers from 1, else start-up fails. */
export function readWhatIfLimits(env: NodeJS.ProcessEnv = process.env): WhatIfLimits {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number of 1 or more, not "${raw}"`);
    return n;
  };
  return {
    maxConcurrent: read('WHAT_IF_MAX_CONCURRENT', DEFAULT_WHAT_IF_LIMITS.maxConcurrent),
    timeoutMs: read('WHAT_IF_TIMEOUT_MS', DEFAULT_WHAT_IF_LIMITS.timeoutMs),
  };
}

/** Over the concurrency limit: 429 problem details; the controller adds Retry-After. */
export class WhatIfBusy extends HttpException {
  constructor(limit: number) {
    super(
      {
        error: 'Too Many Requests',
        message: `${limit} what-if run(s) are already running on this instance; try again in ${WHAT_IF_RETRY_AFTER_SECONDS} seconds, or use \`npm run cli -- rules simulate\`.`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * What-if runs on this instance, bounded like the auditor's verify: at most `maxConcurrent` at
 * once (more: WhatIfBusy, 429) so a few analysts cannot starve casework of CPU, and each within
 * `timeoutMs` (the engine stops at the next family once the signal fires: 503 pointing to the
 * CLI, which has no bound). The engine also yields to the event loop, so /health answers
 * during a run.
 */
@Injectable()
export class WhatIfRunner {
  private running = 0;
  /** The engine; a test replaces it to hold a run on a condition (no sleeps). */
  engine: typeof runWhatIf = runWhatIf;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(WHAT_IF_LIMITS) readonly limits: WhatIfLimits,
  ) {}

  async run(input: WhatIfInput): Promise<WhatIfReport> {
    if (this.running >= this.limits.maxConcurrent) throw new WhatIfBusy(this.limits.maxConcurrent);
    this.running++;
    const signal = AbortSignal.timeout(this.limits.timeoutMs);
    try {
      return await this.engine(this.store, input, { signal });
    } catch (error) {
      if (error instanceof WhatIfRunStopped || signal.aborted) {
        throw new ServiceUnavailableException(
          `The what-if run was stopped after ${this.limits.timeoutMs / 1000} s (WHAT_IF_TIMEOUT_MS); narrow the selection, or run \`npm run cli -- rules simulate\` for a store this size`,
        );
      }
      throw error;
    } finally {
      this.running--;
    }
  }
}
