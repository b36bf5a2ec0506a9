// CPU time and resident memory of another process, read from /proc (Linux): the bench measures the server
// and the load generator from outside, so neither carries measuring code.
import { readFileSync } from 'node:fs';

const TICK_US = 10_000; // USER_HZ is 100 on Linux

export interface ProcStats {
  /** user + system CPU time, µs */
  cpuUs: number;
  /** the kernel's part */
  sysUs: number;
  rss: number;
  /** The peak resident memory since the process started (VmHWM). */
  peakRss: number;
}

export function procStats(pid: number): ProcStats {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) in brackets: utime is the 14th field, stime the 15th.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { cpuUs: (utime + stime) * TICK_US, sysUs: stime * TICK_US, rss: kb('VmRSS'), peakRss: kb('VmHWM') };
}
