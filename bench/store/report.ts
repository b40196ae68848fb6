import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BenchConfig } from './config';
import { ServerInfo } from './server';
import { Measurement, WorkloadResult } from './workloads';

export interface Target {
  name: string;
  ratio: number;
  threshold: number;
  met: boolean;
}

export interface Diagnostic {
  key: string;
  name: string;
  why: string;
  measurement: Measurement;
}

export interface BenchReport {
  finishedAt: string;
  node: string;
  cpus: number;
  /** 1-minute load average before and after: other work on the machine skews the figures. */
  loadAverage: { start: number; end: number };
  server: ServerInfo;
  config: BenchConfig;
  append: WorkloadResult;
  read: WorkloadResult;
  targets: Target[];
  diagnostics: Diagnostic[];
}

export const targetsOf = (append: WorkloadResult, read: WorkloadResult): Target[] =>
  [
    { name: 'appends >= 0.8 x raw INSERT', ratio: append.familievedtak.eventsPerSecond / append.raw.eventsPerSecond, threshold: 0.8 },
    { name: 'appends >= 2.5 x Emmett', ratio: append.familievedtak.eventsPerSecond / append.emmett.eventsPerSecond, threshold: 2.5 },
    { name: 'reads >= 5 x Emmett', ratio: read.familievedtak.eventsPerSecond / read.emmett.eventsPerSecond, threshold: 5 },
  ].map((t) => ({ ...t, met: t.ratio >= t.threshold }));

const rate = (m: Measurement): string => Math.round(m.eventsPerSecond).toLocaleString('en-US');
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

const us = (value: number | undefined): string => (value === undefined ? 'n/a' : Math.round(value).toLocaleString('en-US'));
const cpu = (m: Measurement): string => `${us(m.serverCpuUsPerEvent)} / ${us(m.clientCpuUsPerEvent)}`;

function cpuRow(workload: string, result: WorkloadResult): string {
  return `| ${workload} | ${cpu(result.familievedtak)} | ${cpu(result.raw)} | ${cpu(result.emmett)} |`;
}

function row(workload: string, result: WorkloadResult): string {
  const ours = result.familievedtak.eventsPerSecond;
  return `| ${workload} | ${rate(result.familievedtak)} | ${rate(result.raw)} | ${rate(result.emmett)} | ${ratio(ours, result.raw.eventsPerSecond)} | ${ratio(ours, result.emmett.eventsPerSecond)} |`;
}

export function renderMarkdown(report: BenchReport): string {
  const { config: c, server } = report;
  const s = server.settings;
  const lines = [
    '# Event store bench: familievedtak vs raw PostgreSQL vs Emmett',
    '',
    `- server: ${server.version} (${server.source})`,
    `- settings: synchronous_commit=${s.synchronous_commit}, fsync=${s.fsync}, full_page_writes=${s.full_page_writes}, ` +
      `wal_sync_method=${s.wal_sync_method}, commit_delay=${s.commit_delay}, shared_buffers=${s.shared_buffers}`,
    `- client: Node ${report.node}, ${report.cpus} CPUs (shared with the server when embedded); pools of ${c.poolSize} connections per system; ` +
      `load average ${report.loadAverage.start.toFixed(2)} before, ${report.loadAverage.end.toFixed(2)} after`,
    `- appends: ${c.writers} writers x ${c.appendsPerWriter} single-event appends (+${c.warmupPerWriter} warm-up each), own stream per writer, ` +
      `exact expected revision; median of ${c.appendRounds} interleaved rounds, fresh database each`,
    `- reads: ${c.readEvents.toLocaleString('en-US')} events in global order, page ${c.readPageSize}, median of ${c.readRuns} runs after 1 warm-up pass`,
    '',
    '| workload | familievedtak ev/s | raw ceiling ev/s | Emmett ev/s | vs raw | vs Emmett |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row(`append, ${c.writers} writers x 1 event`, report.append),
    row(`read all, global order`, report.read),
    '',
    'Baselines: append raw = autocommit single-row INSERT into a plain table (bigserial key, same columns, ' +
      'unique (stream_id, revision) and (event_id)); read raw = COPY (SELECT ... ORDER BY global_position) TO STDOUT, rows counted, nothing parsed.',
    '',
    'CPU per event, microseconds, server / client (server only measured for the embedded server; ' + 'steadier than ev/s when other work shares the machine):',
    '',
    '| workload | familievedtak | raw | Emmett |',
    '| --- | ---: | ---: | ---: |',
    cpuRow('append', report.append),
    cpuRow('read all', report.read),
    '',
    '| target | measured | result |',
    '| --- | ---: | --- |',
    ...report.targets.map((t) => `| ${t.name} | ${t.ratio.toFixed(2)}x | ${t.met ? 'met' : 'MISSED'} |`),
  ];
  if (report.diagnostics.length) {
    const byKey = new Map(report.diagnostics.map((d) => [d.key, d.measurement.eventsPerSecond]));
    const store = byKey.get('diag_store')!;
    const raw = byKey.get('diag_raw')!;
    lines.push(
      '',
      `Diagnostics: the append taken apart (same workload, own interleaved rounds):`,
      '',
      '| append variant | ev/s | vs appendToStream | vs raw | CPU µs/event server / client | what it isolates |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      ...report.diagnostics.map(
        (d) =>
          `| ${d.name} | ${rate(d.measurement)} | ${ratio(d.measurement.eventsPerSecond, store)} | ` +
          `${ratio(d.measurement.eventsPerSecond, raw)} | ${cpu(d.measurement)} | ${d.why} |`,
      ),
    );
  }
  return lines.join('\n');
}

export async function writeJson(path: string, report: BenchReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const json = JSON.stringify(report, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
  await writeFile(path, `${json}\n`);
}
