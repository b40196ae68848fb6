import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  FAMILY_STREAM_PREFIX,
  foldFamily as foldFamilyEvents,
  initialFamilyState,
  legalLimitBreaches,
  localDateOf,
  type DelegationRuleSet,
  type FamilyEvent,
  type FamilyState,
} from '@familievedtak/domain';
import { canonicalJson, type EventStore, type JsonValue, type RecordedEvent } from '@familievedtak/event-store';
import { domainCompetenceOracle, type CompetenceOracle } from './competence-oracle';
import { analyseFamily, eventNamesProtectedMember, familyHasProtectedAddress, type FamilyAnalysis } from './family-analysis';
import {
  MIN_FAMILIES_PER_DISTRICT,
  type Distribution,
  type DistrictRow,
  type DistrictSide,
  type FamilyRow,
  type FamilySide,
  type HandOffs,
  type LegalLimitsSide,
  type NeedsNobodysJob,
  type NobodysJobReason,
  type SideFigures,
  type UncoveredByType,
  type WhatIfInput,
  type WhatIfProgress,
  type WhatIfReport,
} from './what-if.types';

export type WhatIfOptions = {
  oracle?: CompetenceOracle;
  onProgress?: WhatIfProgress;
  /** Registrations read per page of $all (each page's families are then read stream by stream). */
  pageSize?: number;
  /** Family streams read at once. */
  concurrency?: number;
  /** The pseudonymised per-family rows cover this many selected families (default 500); figures cover all. */
  sampleFamilies?: number;
  /** Stops the run (WhatIfRunStopped) at the next family or page once aborted: the API's time budget. */
  signal?: AbortSignal;
  /**
   * Longest stretch of analysis between turns of the event loop (default 20 ms): families folded
   * ahead resolve at once, so without a turn a large run would hold /health and every other request.
   */
  yieldEveryMs?: number;
};

/** The run was stopped through its signal (a time budget ran out, the caller went away). */
export class WhatIfRunStopped extends Error {
  readonly code = 'WHAT_IF_RUN_STOPPED';
  constructor(readonly familiesRead: number) {
    super(`The what-if run was stopped after ${familiesRead} families.`);
  }
}

/**
 * The selection names a district the report may not show on its own (fewer than
 * MIN_FAMILIES_PER_DISTRICT selected families, or a member with a protected address in one of
 * its families): the whole report would be that district's cell. One message for both reasons.
 */
export class WhatIfSelectionWithheld extends Error {
  readonly code = 'WHAT_IF_SELECTION_WITHHELD';
  constructor() {
    super(
      `The selected district cannot be reported on its own: a what-if report shows a district only with at least ${MIN_FAMILIES_PER_DISTRICT} selected families and none with a protected address. Widen the selection.`,
    );
  }
}

export const DEFAULT_SAMPLE_FAMILIES = 500;

/** sha256 over canonical JSON (sorted keys): the report's identity. */
export function sha256Of(value: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(value as JsonValue))
    .digest('hex');
}

/**
 * Replays the selected families' histories under a baseline and a candidate rule set and
 * reports both side by side. Reads only: it never appends. Streams the store: families are
 * found page by page from their FamilyRegistered events, each stream is folded on its own
 * (a few at once) and dropped once analysed: the report's figures are summed as the families
 * pass, and only a sample of families keeps its pseudonymised rows (ReportAccumulator), so
 * memory does not grow with the number of families. Events appended after the run began (and,
 * with asOf, events recorded after that day) are not looked at, so the same store and
 * inputs give the same figures and hash.
 *
 * The report is aggregate (GDPR art. 5(1)(c)): see WhatIfReport. The pseudonym key is made
 * here, used for this run's rows, and dropped with the run; it is never returned or stored.
 */
export async function runWhatIf(store: EventStore, input: WhatIfInput, options: WhatIfOptions = {}): Promise<WhatIfReport> {
  const oracle = options.oracle ?? domainCompetenceOracle;
  const pageSize = options.pageSize ?? 500;
  const concurrency = options.concurrency ?? 8;
  const selection = input.selection ?? {};
  const yieldEveryMs = options.yieldEveryMs ?? 20;
  let processed = 0;
  let familiesRead = 0;
  const checkStopped = () => {
    if (options.signal?.aborted) throw new WhatIfRunStopped(familiesRead);
  };
  checkStopped();
  const head = await store.headPosition();
  const total = await store.countAfter(0n, { streamPrefixes: [FAMILY_STREAM_PREFIX] });

  /**
   * The family as of the run (asOf), and from the whole stream up to the head whether any of its
   * members ever had a protected address and its district: protection is judged on what is
   * known now, never only on the history up to asOf.
   */
  const foldFamily = async (streamId: string): Promise<Folded> => {
    let state = initialFamilyState();
    let fromRevision = 0;
    let protectedAddress = false;
    let district: string | null = null;
    const asOf = input.asOf;
    for (;;) {
      checkStopped();
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
        if (eventNamesProtectedMember(event.data)) protectedAddress = true;
        if (event.type === 'FamilyRegistered' && typeof event.data.district === 'string') district = event.data.district;
        if (asOf && localDateOf(event.recordedAt) > asOf) continue;
        events.push(event as unknown as FamilyEvent); // the fold reads only type and data
      }
      if (events.length > 0) state = foldFamilyEvents(events, state);
      if (ended || page.length < STREAM_PAGE) {
        return { state, protectedAddress: protectedAddress || familyHasProtectedAddress(state), district: district ?? state.district };
      }
      fromRevision = page[page.length - 1].revision + 1;
    }
  };

  const summary = new ReportAccumulator(Math.max(1, options.sampleFamilies ?? DEFAULT_SAMPLE_FAMILIES), randomBytes(32));
  let position = 0n;
  let turnAt = performance.now();
  for (;;) {
    checkStopped();
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
    const inFlight: Promise<Folded>[] = [];
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
      const { state, protectedAddress, district } = await (inFlight.shift() as Promise<Folded>);
      checkStopped();
      fill();
      familiesRead++;
      summary.noteDistrict(district, protectedAddress);
      const analysis = analyseFamily(state, input.baseline, input.candidate, selection, input.asOf, oracle);
      if (analysis) summary.add(analysis);
      if (familiesRead % concurrency === 0) options.onProgress?.(processed, Math.max(total, processed));
      if (performance.now() - turnAt >= yieldEveryMs) {
        await new Promise((resolve) => setImmediate(resolve));
        turnAt = performance.now();
      }
    }
  }
  options.onProgress?.(processed, Math.max(total, processed));
  return summary.report(input, familiesRead, processed);
}

/** Events read per stream page. */
const STREAM_PAGE = 1000;

type Folded = { state: FamilyState; protectedAddress: boolean; district: string | null };

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

/** How a district team shows where the district may not be named; in a family's row it is never named. */
export const WITHHELD_DISTRICT_TEAM = 'team:(withheld)';
export const FAMILY_ROW_DISTRICT_TEAM = 'team:(district)';
const NOBODYS_JOB_REASONS: readonly NobodysJobReason[] = ['no-answer', 'pilot-money-only', 'decision-not-covered'];

const isDistrictTeam = (decider: string) => decider.startsWith('team:');

/** Counts by a composite value (its JSON is the key). */
class Tally<T> {
  private readonly counts = new Map<string, { value: T; count: number }>();

  add(value: T, by = 1): void {
    const key = JSON.stringify(value);
    const entry = this.counts.get(key);
    if (entry) entry.count += by;
    else this.counts.set(key, { value, count: by });
  }

  /** The same counts under relabelled values (values that now coincide are merged). */
  relabel(relabel: (value: T) => T): { value: T; count: number }[] {
    const merged = new Tally<T>();
    for (const { value, count } of this.counts.values()) merged.add(relabel(value), count);
    return [...merged.counts.values()];
  }
}

const compareText = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '') || (a === null ? -1 : b === null ? 1 : 0);

/** One side's figures for one district. */
class DistrictSideAccumulator {
  private deciders = 0;
  private covered = 0;
  private without = 0;
  private bundled = 0;
  private needs = 0;

  add(side: FamilySide): void {
    this.deciders += side.deciders.length;
    this.covered += side.decisions;
    this.without += side.withoutDecider;
    this.bundled += side.bundle;
    this.needs += side.needsNobodysJob;
  }

  figures(families: number): DistrictSide {
    return {
      decidersPerFamily: families === 0 ? 0 : round2(this.deciders / families),
      decisionsCovered: this.covered,
      decisionsWithoutDecider: this.without,
      bundledDecisions: this.bundled,
      needsNobodysJob: this.needs,
    };
  }
}

class DistrictAccumulator {
  families = 0;
  moved = 0;
  readonly baseline = new DistrictSideAccumulator();
  readonly candidate = new DistrictSideAccumulator();

  add(analysis: FamilyAnalysis): void {
    this.families++;
    this.moved += analysis.moved.length;
    this.baseline.add(analysis.baseline);
    this.candidate.add(analysis.candidate);
  }
}

/** A family's side as its row shows it: district teams unnamed. */
function rowSide(side: FamilySide): FamilySide {
  const deciders = [...new Set(side.deciders.map((d) => (isDistrictTeam(d) ? FAMILY_ROW_DISTRICT_TEAM : d)))].sort();
  return { ...side, deciders };
}

/**
 * The report, built while the families stream past: figures, histograms, routes and
 * per-district sums over every selected family; pseudonymised rows only for a sample of
 * `limit` families (the lowest pseudonyms: at most 2 x limit rows are held at once); and a
 * sha256 over every selected family's pseudonym-free analysis in registration order, so the
 * report hash still covers all of them.
 */
class ReportAccumulator {
  private readonly baseline = new SideAccumulator();
  private readonly candidate = new SideAccumulator();
  private readonly routes = new Tally<{ from: string; to: string }>();
  private readonly movesByType = new Tally<{ decisionType: string; from: string; to: string }>();
  private readonly candidateUncovered = new Tally<{ decisionType: string; unit: string; baselineDecider: string | null }>();
  private readonly newlyUncovered = new Tally<{ decisionType: string; unit: string; baselineDecider: string | null }>();
  private readonly needs = { baseline: new Tally<NobodysJobReason>(), candidate: new Tally<NobodysJobReason>() };
  private readonly handOffs = {
    baseline: new Tally<{ pickedUpBy: string[]; decidedBy: string }>(),
    candidate: new Tally<{ pickedUpBy: string[]; decidedBy: string }>(),
  };
  private readonly districts = new Map<string | null, DistrictAccumulator>();
  private readonly protectedDistricts = new Set<string | null>();
  private readonly digest = createHash('sha256');
  private sample: FamilyRow[] = [];
  private selected = 0;
  private moved = 0;
  private decisionsAnalysed = 0;
  private needsAnalysed = 0;
  private decisionsWithErasedIdentity = 0;

  /** `pseudonymKey`: random, this run's only; it stays in this object and goes with it. */
  constructor(
    private readonly limit: number,
    private readonly pseudonymKey: Buffer,
  ) {}

  /** Every family read, selected or not: a district with a protected-address member in any family is never shown. */
  noteDistrict(district: string | null, protectedAddress: boolean): void {
    if (protectedAddress) this.protectedDistricts.add(district);
  }

  add(analysis: FamilyAnalysis): void {
    this.selected++;
    this.decisionsAnalysed += analysis.baseline.decisions + analysis.baseline.withoutDecider;
    this.needsAnalysed += analysis.needs;
    this.decisionsWithErasedIdentity += analysis.decisionsWithErasedIdentity;
    this.baseline.add(analysis.baseline);
    this.candidate.add(analysis.candidate);
    this.moved += analysis.moved.length;
    for (const m of analysis.moved) {
      this.routes.add({ from: m.from, to: m.to });
      this.movesByType.add({ decisionType: m.decisionType, from: m.from, to: m.to });
    }
    for (const u of analysis.candidateUncovered) this.candidateUncovered.add(u);
    for (const u of analysis.newlyUncovered) this.newlyUncovered.add(u);
    for (const s of ['baseline', 'candidate'] as const) {
      for (const reason of analysis.needsNobodysJob[s]) this.needs[s].add(reason);
      for (const h of analysis.handOffs[s]) this.handOffs[s].add(h);
    }
    let district = this.districts.get(analysis.district);
    if (!district) this.districts.set(analysis.district, (district = new DistrictAccumulator()));
    district.add(analysis);

    const { familyId, ...pseudonymFree } = analysis;
    this.digest.update(JSON.stringify(pseudonymFree));
    this.digest.update('\n');
    this.sample.push({
      family: `p-${createHmac('sha256', this.pseudonymKey).update(familyId).digest('hex').slice(0, 16)}`,
      coordinatingUnit: analysis.coordinatingUnit,
      members: analysis.members,
      needs: analysis.needs,
      baseline: rowSide(analysis.baseline),
      candidate: rowSide(analysis.candidate),
      moved: analysis.moved.length,
    });
    if (this.sample.length >= 2 * this.limit) this.trim();
  }

  private trim(): void {
    this.sample.sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
    if (this.sample.length > this.limit) this.sample.length = this.limit;
  }

  /**
   * The districts the breakdown may show: at least MIN_FAMILIES_PER_DISTRICT selected families
   * and no protected-address member in any family of the district. Exactly one withheld
   * district next to shown ones would follow from the totals: the smallest shown one is
   * withheld with it.
   */
  private shownDistricts(): Set<string | null> {
    const present = [...this.districts.entries()];
    const withheld = new Set(present.filter(([d, acc]) => acc.families < MIN_FAMILIES_PER_DISTRICT || this.protectedDistricts.has(d)).map(([d]) => d));
    if (withheld.size === 1 && present.length > 1) {
      const smallest = present.filter(([d]) => !withheld.has(d)).sort((a, b) => a[1].families - b[1].families || compareText(a[0], b[0]))[0];
      withheld.add(smallest[0]);
    }
    return new Set(present.map(([d]) => d).filter((d) => !withheld.has(d)));
  }

  report(input: WhatIfInput, familiesRead: number, eventsRead: number): WhatIfReport {
    const shown = this.shownDistricts();
    const selectedDistrict = input.selection?.district;
    if (
      selectedDistrict !== undefined &&
      (this.protectedDistricts.has(selectedDistrict) || (this.districts.has(selectedDistrict) && !shown.has(selectedDistrict)))
    ) {
      throw new WhatIfSelectionWithheld();
    }
    const label = (decider: string): string => (isDistrictTeam(decider) && !shown.has(decider.slice('team:'.length)) ? WITHHELD_DISTRICT_TEAM : decider);
    const labelOrNull = (decider: string | null) => (decider === null ? null : label(decider));

    this.trim();
    const byRoute = this.routes
      .relabel((r) => ({ from: label(r.from), to: label(r.to) }))
      .map(({ value, count }) => ({ ...value, decisions: count }))
      .sort((a, b) => b.decisions - a.decisions || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
    const byType = this.movesByType
      .relabel((m) => ({ decisionType: m.decisionType, from: label(m.from), to: label(m.to) }))
      .map(({ value, count }) => ({ ...value, decisions: count }))
      .sort((a, b) => b.decisions - a.decisions || a.decisionType.localeCompare(b.decisionType) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
    const uncovered = (tally: Tally<{ decisionType: string; unit: string; baselineDecider: string | null }>): { total: number; byType: UncoveredByType[] } => {
      const rows = tally
        .relabel((u) => ({ ...u, baselineDecider: labelOrNull(u.baselineDecider) }))
        .map(({ value, count }) => ({ ...value, decisions: count }))
        .sort(
          (a, b) =>
            b.decisions - a.decisions ||
            a.decisionType.localeCompare(b.decisionType) ||
            a.unit.localeCompare(b.unit) ||
            compareText(a.baselineDecider, b.baselineDecider),
        );
      return { total: rows.reduce((n, r) => n + r.decisions, 0), byType: rows };
    };
    const needs = (tally: Tally<NobodysJobReason>): NeedsNobodysJob => {
      const counts = new Map(tally.relabel((r) => r).map(({ value, count }) => [value, count]));
      const byReason = NOBODYS_JOB_REASONS.map((reason) => ({ reason, needs: counts.get(reason) ?? 0 }));
      return { total: byReason.reduce((n, r) => n + r.needs, 0), byReason };
    };
    const handOffs = (tally: Tally<{ pickedUpBy: string[]; decidedBy: string }>): HandOffs => {
      const rows = tally
        .relabel((h) => ({ pickedUpBy: [...new Set(h.pickedUpBy.map(label))].sort(), decidedBy: label(h.decidedBy) }))
        .map(({ value, count }) => ({ ...value, handOffs: count }))
        .sort((a, b) => b.handOffs - a.handOffs || a.pickedUpBy.join().localeCompare(b.pickedUpBy.join()) || a.decidedBy.localeCompare(b.decidedBy));
      return { total: rows.reduce((n, r) => n + r.handOffs, 0), byRoute: rows };
    };
    const shownRows: DistrictRow[] = [...this.districts.entries()]
      .filter(([d]) => shown.has(d))
      .sort((a, b) => compareText(a[0], b[0]))
      .map(([district, acc]) => ({
        district,
        families: acc.families,
        baseline: acc.baseline.figures(acc.families),
        candidate: acc.candidate.figures(acc.families),
        moved: acc.moved,
      }));

    const body: Omit<WhatIfReport, 'hash'> = {
      kind: 'familievedtak.what-if-report',
      formatVersion: 2,
      disclosure: {
        output: 'aggregate',
        familyRows: 'keyed-pseudonym-per-run',
        minFamiliesPerDistrict: MIN_FAMILIES_PER_DISTRICT,
        withheldDistricts: 'fewer-families-or-protected-address',
      },
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
        decisionsWithErasedIdentity: this.decisionsWithErasedIdentity,
      },
      baseline: this.baseline.figures(input.baseline),
      candidate: this.candidate.figures(input.candidate),
      legalLimits: { baseline: legalLimitsOf(input.baseline), candidate: legalLimitsOf(input.candidate) },
      moves: { total: this.moved, byRoute, byType },
      newlyUncovered: uncovered(this.newlyUncovered),
      candidateUncovered: uncovered(this.candidateUncovered),
      needsNobodysJob: { baseline: needs(this.needs.baseline), candidate: needs(this.needs.candidate) },
      handOffs: { baseline: handOffs(this.handOffs.baseline), candidate: handOffs(this.handOffs.candidate) },
      districts: {
        shown: shownRows,
        withheld: { families: this.selected - shownRows.reduce((n, r) => n + r.families, 0) },
      },
      families: this.sample,
      listed: { families: this.sample.length, limit: this.limit, familiesSha256: this.digest.digest('hex') },
    };
    // Drop undefined members (JSON would) so the hash is over exactly what is served.
    const plain = JSON.parse(JSON.stringify(body)) as Omit<WhatIfReport, 'hash'>;
    return { ...plain, hash: reportHash(plain) };
  }
}

/** The set's breaches of the law's limits: what-if analyses an unlawful candidate but marks it. */
export function legalLimitsOf(ruleSet: DelegationRuleSet): LegalLimitsSide {
  const breaches = legalLimitBreaches(ruleSet);
  return { lawful: breaches.length === 0, rulesOutsideLimits: new Set(breaches.map((b) => b.ruleId)).size, breaches };
}

/** The report's identity: sha256 over everything but the pseudonymised rows, which change every run. */
export function reportHash(report: Omit<WhatIfReport, 'hash'> | WhatIfReport): string {
  const { families: _rows, hash: _hash, ...deterministic } = report as WhatIfReport;
  return sha256Of(deterministic);
}
