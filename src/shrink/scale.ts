import type { Shrinking } from './shrinker.js';

/**
 * Options that make a run smaller when lowered, and which lowering keeps a run that still
 * makes sense: iterations per client, client CPUs (config-race's clients, locktorture's
 * writers, dmatest's threads), channels and controllers. Each goes no lower than 1 (an
 * iterations of 0 means unbounded and is left alone).
 */
export const SCALE_KEYS = [
  'iterations',
  'clients',
  'writers',
  'threadsPerChan',
  'channels',
  'controllers',
] as const;

/**
 * Lowers each option of SCALE_KEYS the run has, trying 1, a quarter and a half of its value,
 * each with the current anchors (renumbered by actor name) and with none (a smaller run may
 * never reach an anchor's point). A smaller run makes every later candidate cheaper.
 * @returns whether a candidate was kept
 */
export async function scaleDown(
  sh: Shrinking,
  keys: readonly string[] = SCALE_KEYS,
): Promise<boolean> {
  let kept = false;
  for (const key of keys) {
    const value = sh.current.options[key];
    if (typeof value !== 'number' || value <= 1) continue;
    const tries = [...new Set([1, value >> 2, value >> 1])].filter((v) => v >= 1 && v < value);
    for (const to of tries) {
      const options = { ...sh.current.options, [key]: to };
      if (
        (await sh.try(sh.current.anchors, options)) ||
        (sh.current.anchors.length > 0 && (await sh.try([], options)))
      ) {
        kept = true;
        break;
      }
    }
  }
  return kept;
}
