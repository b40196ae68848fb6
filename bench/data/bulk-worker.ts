import { parentPort, workerData } from 'node:worker_threads';
import { encodeFamily, type EncodedFamily } from './bulk';

/** A worker thread of the bulk generator (bulk.ts): decides and encodes the families it is asked for, in order. */
const { seed } = workerData as { seed: number };
parentPort!.on('message', ({ indices, recordedAt }: { indices: number[]; recordedAt: string }) => {
  const at = new Date(recordedAt);
  const families: EncodedFamily[] = indices.map((index) => encodeFamily(seed, index, at));
  parentPort!.postMessage(families);
});
