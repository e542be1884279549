import { readFileSync } from 'node:fs';

/** `process.threadCpuUsage` (Node >= 23.9), which @types/node 20 does not know. */
type ThreadCpuUsage = () => { user: number; system: number };

/**
 * CPU time the calling thread has used, in ms, or null where no per-thread figure exists.
 * `process.cpuUsage()` sums every thread of the process, so a worker cannot use it: on
 * Node 20 the figure comes from Linux's /proc/thread-self/schedstat (run time in ns),
 * read by a synchronous call, which runs on the calling thread itself.
 */
export function threadCpuMs(): number | null {
  const own = (process as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage;
  if (typeof own === 'function') {
    const u = own.call(process);
    return (u.user + u.system) / 1000;
  }
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch (err) {
    // Not Linux, or /proc not mounted: the figure is unknown, not an error of the run.
    void err;
    return null;
  }
}
