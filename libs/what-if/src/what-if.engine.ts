import { createHash } from 'node:crypto';
import {
  FAMILY_STREAM_PREFIX,
  foldFamily as foldFamilyEvents,
  initialFamilyState,
  localDateOf,
  type FamilyEvent,
  type FamilyState,
} from '@familievedtak/domain';
import { canonicalJson, type EventStore, type JsonValue, type RecordedEvent } from '@familievedtak/event-store';
import { domainCompetenceOracle, type CompetenceOracle } from './competence-oracle';
import { analyseFamily, type FamilyAnalysis } from './family-analysis';
import type { Distribution, FamilySide, SideFigures, WhatIfInput, WhatIfProgress, WhatIfReport } from './what-if.types';

export type WhatIfOptions = {
  oracle?: CompetenceOracle;
  onProgress?: WhatIfProgress;
  /** Registrations read per page of $all (each page's families are then read stream by stream). */
  pageSize?: number;
  /** Family streams read at once. */
  concurrency?: number;
  /** The per-family lists cover the first this many selected families by id (default 500); figures cover all. */
  sampleFamilies?: number;
};

export const DEFAULT_SAMPLE_FAMILIES = 500;

/** sha256 over canonical JSON (sorted keys): the report's identity. */
export function sha256Of(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value as JsonValue)).digest('hex');
}

/**
 * Replays the selected families' histories under a baseline and a candidate rule set and
 * reports both side by side. Reads only: it never appends. Streams the store: families are
 * found page by page from their FamilyRegistered events, each stream is folded on its own
 * (a few at once) and dropped once analysed: the report's figures are summed as the families
 * pass, and only the first families by id keep their per-family rows (ReportAccumulator), so
 * memory does not grow with the number of families. Events appended after the run began (and,
 * with asOf, events recorded after that day) are not looked at, so the same store and
 * inputs give the same report and hash.
 */
export async function runWhatIf(store: EventStore, input: WhatIfInput, options: WhatIfOptions = {}): Promise<WhatIfReport> {
  const oracle = options.oracle ?? domainCompetenceOracle;
  const pageSize = options.pageSize ?? 500;
  const concurrency = options.concurrency ?? 8;
  const selection = input.selection ?? {};
  const head = await store.headPosition();
  const total = await store.countAfter(0n, { streamPrefixes: [FAMILY_STREAM_PREFIX] });
  let processed = 0;
  let familiesRead = 0;

  const foldFamily = async (streamId: string): Promise<FamilyState> => {
    let state = initialFamilyState();
    let fromRevision = 0;
    const asOf = input.asOf;
    for (;;) {
      const page: RecordedEvent[] = await store.readStream(streamId, { fromRevision, maxCount: STREAM_PAGE });
      // One linear fold per page (foldFamily copies each record map once, not once per event).
      const events: FamilyEvent[] = [];
      let ended = false;
      for (const event of page) {
        if (event.globalPosition > head) {
          ended = true;
          break;
        }
        processed++;
        if (asOf && localDateOf(event.recordedAt) > asOf) continue;
        events.push(event as unknown as FamilyEvent); // the fold reads only type and data
      }
      if (events.length > 0) state = foldFamilyEvents(events, state);
      if (ended || page.length < STREAM_PAGE) return state;
      fromRevision = page[page.length - 1].revision + 1;
    }
  };

  const summary = new ReportAccumulator(Math.max(1, options.sampleFamilies ?? DEFAULT_SAMPLE_FAMILIES));
  let position = 0n;
  for (;;) {
    const registrations = (
      await store.readAll({
        fromPosition: position,
        maxCount: pageSize,
        filter: { streamPrefixes: [FAMILY_STREAM_PREFIX], eventTypes: ['FamilyRegistered'] },
      })
    ).filter((e) => e.globalPosition <= head);
    if (registrations.length === 0) break;
    position = registrations[registrations.length - 1].globalPosition;
    // A window of `concurrency` streams in flight, taken up in registration order: the store
    // reads the next streams while this process analyses the ones already folded.
    const inFlight: Promise<FamilyState>[] = [];
    let next = 0;
    const fill = () => {
      while (inFlight.length < concurrency && next < registrations.length) {
        const folded = foldFamily(registrations[next++].streamId);
        folded.catch(() => undefined); // awaited below; a failure with others still in flight is not unhandled
        inFlight.push(folded);
      }
    };
    fill();
    while (inFlight.length > 0) {
      const state = await (inFlight.shift() as Promise<FamilyState>);
      fill();
      familiesRead++;
      const analysis = analyseFamily(state, input.baseline, input.candidate, selection, input.asOf, oracle);
      if (analysis) summary.add(analysis);
      if (familiesRead % concurrency === 0) options.onProgress?.(processed, Math.max(total, processed));
    }
  }
  options.onProgress?.(processed, Math.max(total, processed));
  return summary.report(input, familiesRead, processed);
}

/** Events read per stream page. */
const STREAM_PAGE = 1000;

const round2 = (n: number) => Math.round(n * 100) / 100;

export function distribution(values: number[]): Distribution {
  if (values.length === 0) return { mean: 0, p90: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return { mean: round2(sum / sorted.length), p90: sorted[Math.ceil(0.9 * sorted.length) - 1], max: sorted[sorted.length - 1] };
}

/** Small non-negative integers by count: the same mean, p90 and max as distribution() over the values, in constant memory. */
class CountHistogram {
  readonly counts: number[] = [];
  private n = 0;
  private sum = 0;

  add(value: number): void {
    this.counts[value] = (this.counts[value] ?? 0) + 1;
    this.n++;
    this.sum += value;
  }

  get max(): number {
    return this.n === 0 ? 0 : this.counts.length - 1;
  }

  distribution(): Distribution {
    if (this.n === 0) return { mean: 0, p90: 0, max: 0 };
    const rank = Math.ceil(0.9 * this.n);
    let seen = 0;
    let p90 = this.max;
    for (let v = 0; v < this.counts.length; v++) {
      seen += this.counts[v] ?? 0;
      if (seen >= rank) {
        p90 = v;
        break;
      }
    }
    return { mean: round2(this.sum / this.n), p90, max: this.max };
  }
}

/** One side's headline figures, summed family by family. */
class SideAccumulator {
  private decisionsCovered = 0;
  private decisionsWithoutDecider = 0;
  private bundledDecisions = 0;
  private familiesWithFamilyDecision = 0;
  private needsNobodysJob = 0;
  private handOffs = 0;
  private readonly deciders = new CountHistogram();
  private readonly decisions = new CountHistogram();
  private readonly reviewDates = new CountHistogram();

  add(side: FamilySide): void {
    this.decisionsCovered += side.decisions;
    this.decisionsWithoutDecider += side.withoutDecider;
    this.bundledDecisions += side.bundle;
    if (side.bundle > 0) this.familiesWithFamilyDecision++;
    this.needsNobodysJob += side.needsNobodysJob;
    this.handOffs += side.handOffs;
    this.deciders.add(side.deciders.length);
    this.decisions.add(side.decisions);
    this.reviewDates.add(side.reviewDates);
  }

  figures(input: WhatIfInput['baseline']): SideFigures {
    const histogram = Array.from({ length: this.deciders.max + 1 }, (_, deciders) => ({ deciders, families: this.deciders.counts[deciders] ?? 0 }));
    return {
      ruleSetId: input.id,
      ruleSetVersion: input.version,
      ruleSetName: input.name,
      decisionsCovered: this.decisionsCovered,
      decisionsWithoutDecider: this.decisionsWithoutDecider,
      decidersPerFamily: { ...this.deciders.distribution(), histogram },
      decisionsPerFamily: this.decisions.distribution(),
      bundledDecisions: this.bundledDecisions,
      familiesWithFamilyDecision: this.familiesWithFamilyDecision,
      reviewDatesPerFamily: this.reviewDates.distribution(),
      needsNobodysJob: this.needsNobodysJob,
      handOffs: this.handOffs,
    };
  }
}

const byFamily = (a: FamilyAnalysis, b: FamilyAnalysis) => (a.drill.familyId < b.drill.familyId ? -1 : a.drill.familyId > b.drill.familyId ? 1 : 0);

/**
 * The report, built while the families stream past: figures, histograms and routes over
 * every selected family; the per-family lists only for the first `limit` families by id
 * (at most 2 x limit analyses are held at once); and a sha256 over every selected family's
 * analysis in registration order, so the report hash still covers all of them.
 */
class ReportAccumulator {
  private readonly baseline = new SideAccumulator();
  private readonly candidate = new SideAccumulator();
  private readonly routes = new Map<string, { from: string; to: string; decisions: number }>();
  private readonly digest = createHash('sha256');
  private sample: FamilyAnalysis[] = [];
  private selected = 0;
  private moved = 0;
  private decisionsAnalysed = 0;
  private needsAnalysed = 0;

  constructor(private readonly limit: number) {}

  add(analysis: FamilyAnalysis): void {
    const drill = analysis.drill;
    this.selected++;
    this.decisionsAnalysed += drill.baseline.decisions + drill.baseline.withoutDecider;
    this.needsAnalysed += drill.needs;
    this.baseline.add(drill.baseline);
    this.candidate.add(drill.candidate);
    this.moved += analysis.moved.length;
    for (const m of analysis.moved) {
      const key = `${m.from}\u0000${m.to}`;
      const route = this.routes.get(key);
      if (route) route.decisions++;
      else this.routes.set(key, { from: m.from, to: m.to, decisions: 1 });
    }
    this.digest.update(JSON.stringify(analysis));
    this.digest.update('\n');
    this.sample.push(analysis);
    if (this.sample.length >= 2 * this.limit) this.trim();
  }

  private trim(): void {
    this.sample.sort(byFamily);
    if (this.sample.length > this.limit) this.sample.length = this.limit;
  }

  report(input: WhatIfInput, familiesRead: number, eventsRead: number): WhatIfReport {
    this.trim();
    const analyses = this.sample;
    const byRoute = [...this.routes.values()].sort((a, b) => b.decisions - a.decisions || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
    const body: Omit<WhatIfReport, 'hash'> = {
      kind: 'familievedtak.what-if-report',
      formatVersion: 1,
      inputs: {
        baseline: { id: input.baseline.id, version: input.baseline.version, sha256: sha256Of(input.baseline) },
        candidate: { id: input.candidate.id, version: input.candidate.version, sha256: sha256Of(input.candidate) },
        selection: input.selection ?? {},
        asOf: input.asOf ?? null,
      },
      scope: {
        familiesRead,
        familiesSelected: this.selected,
        eventsRead,
        decisionsAnalysed: this.decisionsAnalysed,
        needsAnalysed: this.needsAnalysed,
      },
      baseline: this.baseline.figures(input.baseline),
      candidate: this.candidate.figures(input.candidate),
      moves: { total: this.moved, byRoute, decisions: analyses.flatMap((a) => a.moved) },
      newlyUncovered: analyses.flatMap((a) => a.newlyUncovered),
      candidateUncovered: analyses.flatMap((a) => a.candidateUncovered),
      needsNobodysJob: { baseline: analyses.flatMap((a) => a.needs.baseline), candidate: analyses.flatMap((a) => a.needs.candidate) },
      handOffs: { baseline: analyses.flatMap((a) => a.handOffs.baseline), candidate: analyses.flatMap((a) => a.handOffs.candidate) },
      families: analyses.map((a) => a.drill),
      listed: { families: analyses.length, limit: this.limit, familiesSha256: this.digest.digest('hex') },
    };
    // Drop undefined members (JSON would) so the hash is over exactly what is served.
    const plain = JSON.parse(JSON.stringify(body)) as Omit<WhatIfReport, 'hash'>;
    return { ...plain, hash: sha256Of(plain) };
  }
}
