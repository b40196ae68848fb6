/** Peak RSS and heap while something runs: process.memoryUsage() sampled every 100 ms (and at the end). */
export type MemoryPeak = { rssMb: number; heapUsedMb: number; startRssMb: number; startHeapUsedMb: number };

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function withMemoryPeak<T>(work: () => Promise<T>, intervalMs = 100): Promise<{ result: T; memory: MemoryPeak }> {
  (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc: start from live data, not garbage
  const start = process.memoryUsage();
  let rss = start.rss;
  let heap = start.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    if (now.rss > rss) rss = now.rss;
    if (now.heapUsed > heap) heap = now.heapUsed;
  };
  const timer = setInterval(sample, intervalMs);
  try {
    const result = await work();
    sample();
    return { result, memory: { rssMb: mb(rss), heapUsedMb: mb(heap), startRssMb: mb(start.rss), startHeapUsedMb: mb(start.heapUsed) } };
  } finally {
    clearInterval(timer);
  }
}

/** Median of timed runs. */
export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
