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
import type { Distribution, FamilyDrillDown, FamilySide, SideFigures, WhatIfInput, WhatIfProgress, WhatIfReport } from './what-if.types';

export type WhatIfOptions = {
  oracle?: CompetenceOracle;
  onProgress?: WhatIfProgress;
  /** Registrations read per page of $all (each page's families are then read stream by stream). */
  pageSize?: number;
  /** Family streams read at once. */
  concurrency?: number;
};

/** sha256 over canonical JSON (sorted keys): the report's identity. */
export function sha256Of(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value as JsonValue)).digest('hex');
}

/**
 * Replays the selected families' histories under a baseline and a candidate rule set and
 * reports both side by side. Reads only: it never appends. Streams the store: families are
 * found page by page from their FamilyRegistered events, each stream is folded on its own
 * and only a compact per-family summary is kept. Events appended after the run began (and,
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
  const analyses: FamilyAnalysis[] = [];

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
        events.push({ type: event.type, data: event.data } as unknown as FamilyEvent);
      }
      if (events.length > 0) state = foldFamilyEvents(events, state);
      if (ended || page.length < STREAM_PAGE) return state;
      fromRevision = page[page.length - 1].revision + 1;
    }
  };

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
    const streamIds = registrations.map((e) => e.streamId);
    for (let i = 0; i < streamIds.length; i += concurrency) {
      const states = await Promise.all(streamIds.slice(i, i + concurrency).map(foldFamily));
      for (const state of states) {
        familiesRead++;
        const analysis = analyseFamily(state, input.baseline, input.candidate, selection, input.asOf, oracle);
        if (analysis) analyses.push(analysis);
      }
      options.onProgress?.(processed, Math.max(total, processed));
    }
  }
  options.onProgress?.(processed, Math.max(total, processed));
  return buildReport(input, analyses, familiesRead, processed);
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

function sideFigures(input: WhatIfInput['baseline'], families: FamilyDrillDown[], pick: (f: FamilyDrillDown) => FamilySide): SideFigures {
  const sides = families.map(pick);
  const deciderCounts = sides.map((s) => s.deciders.length);
  const max = deciderCounts.length ? Math.max(...deciderCounts) : 0;
  const histogram = Array.from({ length: max + 1 }, (_, deciders) => ({ deciders, families: deciderCounts.filter((c) => c === deciders).length }));
  return {
    ruleSetId: input.id,
    ruleSetVersion: input.version,
    ruleSetName: input.name,
    decisionsCovered: sides.reduce((s, f) => s + f.decisions, 0),
    decisionsWithoutDecider: sides.reduce((s, f) => s + f.withoutDecider, 0),
    decidersPerFamily: { ...distribution(deciderCounts), histogram },
    decisionsPerFamily: distribution(sides.map((s) => s.decisions)),
    bundledDecisions: sides.reduce((s, f) => s + f.bundle, 0),
    familiesWithFamilyDecision: sides.filter((f) => f.bundle > 0).length,
    reviewDatesPerFamily: distribution(sides.map((s) => s.reviewDates)),
    needsNobodysJob: sides.reduce((s, f) => s + f.needsNobodysJob, 0),
    handOffs: sides.reduce((s, f) => s + f.handOffs, 0),
  };
}

const byFamily = <T extends { familyId: string }>(a: T, b: T) => (a.familyId < b.familyId ? -1 : a.familyId > b.familyId ? 1 : 0);

function buildReport(input: WhatIfInput, unsorted: FamilyAnalysis[], familiesRead: number, eventsRead: number): WhatIfReport {
  const analyses = [...unsorted].sort((a, b) => byFamily(a.drill, b.drill));
  const families = analyses.map((a) => a.drill);
  const moved = analyses.flatMap((a) => a.moved);
  const routes = new Map<string, { from: string; to: string; decisions: number }>();
  for (const m of moved) {
    const key = `${m.from}\u0000${m.to}`;
    const route = routes.get(key) ?? { from: m.from, to: m.to, decisions: 0 };
    route.decisions++;
    routes.set(key, route);
  }
  const byRoute = [...routes.values()].sort((a, b) => b.decisions - a.decisions || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
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
      familiesSelected: families.length,
      eventsRead,
      decisionsAnalysed: families.reduce((s, f) => s + f.baseline.decisions + f.baseline.withoutDecider, 0),
      needsAnalysed: families.reduce((s, f) => s + f.needs, 0),
    },
    baseline: sideFigures(input.baseline, families, (f) => f.baseline),
    candidate: sideFigures(input.candidate, families, (f) => f.candidate),
    moves: { total: moved.length, byRoute, decisions: moved },
    newlyUncovered: analyses.flatMap((a) => a.newlyUncovered),
    candidateUncovered: analyses.flatMap((a) => a.candidateUncovered),
    needsNobodysJob: { baseline: analyses.flatMap((a) => a.needs.baseline), candidate: analyses.flatMap((a) => a.needs.candidate) },
    handOffs: { baseline: analyses.flatMap((a) => a.handOffs.baseline), candidate: analyses.flatMap((a) => a.handOffs.candidate) },
    families,
  };
  // Drop undefined members (JSON would) so the hash is over exactly what is served.
  const plain = JSON.parse(JSON.stringify(body)) as Omit<WhatIfReport, 'hash'>;
  return { ...plain, hash: sha256Of(plain) };
}
