/**
 * One line of the benchmark table: a figure, the baseline measured in the same run, their
 * ratio and the target it is held against. Every bench (store, projections, time travel,
 * what-if, API) returns rows of this shape; `npm run bench` prints them as one table and
 * writes them to bench/results/summary.json.
 */
export interface BenchRow {
  /** e.g. 'projection rebuild', 'API mixed load', 'time travel'. */
  area: string;
  /** What was measured, e.g. 'events/s', 'requests/s', 'p99 ms', 'RSS MB'. */
  metric: string;
  value: number;
  /** The baseline measured in the same run, when the figure is a ratio against one. */
  baseline?: { name: string; value: number };
  /** value / baseline.value (or baseline / value where lower is better, said in `target`). */
  ratio?: number;
  /** The target in words, e.g. '>= 0.3 x raw read and >= 30,000 events/s'. */
  target?: string;
  met?: boolean;
  /** Scale and conditions, e.g. '10,000 families / 1.02M events'. */
  note?: string;
}
