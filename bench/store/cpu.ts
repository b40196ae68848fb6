import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time burnt by a local PostgreSQL server, from /proc: every live process of the server
 * (the postmaster and its children) plus what the postmaster has reaped from exited backends.
 * Wall-clock rates swing with whatever else runs on the machine; CPU per event does not, so
 * it is the steadier figure for "how much work is one append" on a shared box.
 */
let ticksPerSecond: number | undefined;
const ticks = (): number => (ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100);

interface ProcStat {
  ppid: number;
  own: number;
  reaped: number;
}

function procStat(pid: string): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined; // the process ended while we looked
  }
}

/** Seconds of CPU used so far by the server whose postmaster is `postmasterPid`. */
export function serverCpuSeconds(postmasterPid: number): number {
  const postmaster = procStat(String(postmasterPid));
  if (!postmaster) throw new Error(`no process ${postmasterPid}`);
  let total = postmaster.own + postmaster.reaped;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === postmasterPid) continue;
    const stat = procStat(pid);
    if (stat?.ppid === postmasterPid) total += stat.own;
  }
  return total / ticks();
}

/** Seconds of CPU used so far by this Node process. */
export const clientCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
