import type { Anchor } from './candidate.js';
import type { Shrinking } from './shrinker.js';

/** The current anchors without those in `drop`. */
function without(sh: Shrinking, drop: ReadonlySet<Anchor>): Anchor[] {
  return sh.current.anchors.filter((a) => !drop.has(a));
}

/** The current preemptions, in the order the run made them. */
function preemptions(sh: Shrinking): Anchor[] {
  return sh.current.anchors.filter((a) => a.preempt);
}

/**
 * Cuts the schedule before one of its preemptions, so that the run goes on without
 * preempting from there: first before the first one (no preemption at all), then bisecting
 * for the fewest leading preemptions that still fail. Each cut costs one run, and a kept one
 * drops every preemption after it at once: the cheapest big cut.
 * @returns whether a candidate was kept
 */
export async function truncate(sh: Shrinking): Promise<boolean> {
  const cut = async (j: number): Promise<boolean> => {
    const stop = preemptions(sh)[j];
    return sh.try(sh.current.anchors.slice(0, stop ? sh.current.anchors.indexOf(stop) : undefined));
  };
  if (preemptions(sh).length === 0) return false;
  if (await cut(0)) return true;
  let kept = false;
  let lo = 1;
  let hi = preemptions(sh).length;
  while (lo < hi && !sh.spent()) {
    const mid = (lo + hi) >> 1;
    if (await cut(mid)) {
      kept = true;
      hi = Math.min(mid, preemptions(sh).length);
    } else lo = mid + 1;
  }
  return kept;
}

/**
 * Delta debugging (Zeller's ddmin) over the preemptions: the schedule without a chunk of
 * them (and, with more than two chunks, with only one chunk kept), from halves down to
 * single preemptions. A kept candidate is the new schedule, its preemptions read back
 * afresh. Ends 1-minimal, no single preemption can go, unless the budget ran out.
 * @returns whether a candidate was kept
 */
export async function ddminPreemptions(sh: Shrinking): Promise<boolean> {
  let kept = false;
  let n = 2;
  while (!sh.spent()) {
    const at = preemptions(sh);
    if (at.length === 0) break;
    n = Math.min(n, at.length);
    const chunks = split(at, n);
    let removed = false;
    if (n > 2) {
      for (const c of chunks) {
        const rest = new Set(at.filter((a) => !c.includes(a)));
        if (await sh.try(without(sh, rest))) {
          removed = true;
          n = 2;
          break;
        }
      }
    }
    if (!removed) {
      for (const c of chunks) {
        if (await sh.try(without(sh, new Set(c)))) {
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
 * that can run, the non-preemptive pick, instead of the one its anchor names: one run,
 * which often saves context switches.
 * @returns whether the candidate was kept
 */
export async function runOnForced(sh: Shrinking): Promise<boolean> {
  const forced = sh.current.anchors.filter((a) => !a.preempt);
  if (forced.length === 0) return false;
  return sh.try(without(sh, new Set(forced)));
}

/** `xs` in `n` contiguous chunks of (nearly) equal size, none empty. */
function split<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let c = 0; c < n; c++) {
    const chunk = xs.slice(Math.floor((c * xs.length) / n), Math.floor(((c + 1) * xs.length) / n));
    if (chunk.length > 0) out.push(chunk);
  }
  return out;
}
