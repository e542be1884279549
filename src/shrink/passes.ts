import { runOnAt } from './candidate.js';
import type { Shrinking } from './shrinker.js';

/**
 * Cuts the list before one of its preemptions, so that the run goes on without preempting
 * from there: first the whole list (no preemption at all), then bisecting for the fewest
 * leading preemptions that still fail. Each cut costs one run, and a kept one drops every
 * preemption after it at once: the cheapest big cut.
 * @returns whether a candidate was kept
 */
export async function truncate(sh: Shrinking): Promise<boolean> {
  if (sh.current.preemptAt.length === 0) return false;
  if (await sh.try(new Uint16Array(0))) return true;
  let kept = false;
  let lo = 1;
  let hi = sh.current.preemptAt.length;
  while (lo < hi && !sh.spent()) {
    const mid = (lo + hi) >> 1;
    // The run of a cut is the current run up to the cut: its first `mid` preemptions.
    if (await sh.try(sh.current.list.subarray(0, sh.current.preemptAt[mid]))) {
      kept = true;
      hi = Math.min(mid, sh.current.preemptAt.length);
    } else lo = mid + 1;
  }
  return kept;
}

/**
 * Delta debugging (Zeller's ddmin) over the preemptions: the list with a chunk of them run
 * on instead (and, with more than two chunks, with only one chunk kept), from halves down to
 * single preemptions. A kept candidate is the new schedule, its preemptions found afresh
 * (they move: the run after a removed preemption differs). Ends 1-minimal: no single
 * preemption can be removed, unless the budget ran out.
 * @returns whether a candidate was kept
 */
export async function ddminPreemptions(sh: Shrinking): Promise<boolean> {
  let kept = false;
  let n = 2;
  while (!sh.spent()) {
    const at = sh.current.preemptAt;
    if (at.length === 0) break;
    n = Math.min(n, at.length);
    const chunks = split(at, n);
    let removed = false;
    if (n > 2) {
      for (const c of chunks) {
        if (
          await sh.try(
            runOnAt(
              sh.current.list,
              at.filter((k) => !c.includes(k)),
            ),
          )
        ) {
          removed = true;
          n = 2;
          break;
        }
      }
    }
    if (!removed) {
      for (const c of chunks) {
        if (await sh.try(runOnAt(sh.current.list, c))) {
          removed = true;
          n = Math.max(n - 1, 2);
          break;
        }
      }
    }
    if (removed) {
      kept = true;
      continue;
    }
    if (n >= at.length) break;
    n = Math.min(2 * n, at.length);
  }
  return kept;
}

/**
 * Lets every forced switch (the entity that ran could not go on) go to the lowest entity
 * that can run, as RUN_ON does, instead of the one the list names: one run, which often
 * saves context switches.
 * @returns whether the candidate was kept
 */
export async function runOnForced(sh: Shrinking): Promise<boolean> {
  if (sh.current.forcedAt.length === 0) return false;
  return sh.try(runOnAt(sh.current.list, sh.current.forcedAt));
}

/** `xs` in `n` contiguous chunks of (nearly) equal size, none empty. */
function split(xs: readonly number[], n: number): number[][] {
  const out: number[][] = [];
  for (let c = 0; c < n; c++) {
    const chunk = xs.slice(Math.floor((c * xs.length) / n), Math.floor(((c + 1) * xs.length) / n));
    if (chunk.length > 0) out.push(chunk);
  }
  return out;
}
