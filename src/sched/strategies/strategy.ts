import { SCHED } from '../../shm/sched-struct.js';
import type { SchedView } from '../sched-view.js';

/**
 * A strategy's state lives in the sched buffer, never in a thread: whichever actor holds
 * the token runs the strategy, and the next holder must continue where it left off.
 */
export interface Strategy {
  /** Host side, before the run: the strategy's initial state from the run's seed. */
  init(v: SchedView, seed: number): void;
  /**
   * Picks one of `enabled[0..n)` (entities, n >= 2) at a real choice. `label` is the point
   * the running entity (SCHED.LAST) stands at.
   * @returns the picked entity
   */
  pick(v: SchedView, enabled: Int32Array, n: number, label: number): number;
}

/** mulberry32 over SCHED.RNG: the strategy's random stream, shared by every holder. */
export function nextU32(i32: Int32Array): number {
  let t = (i32[SCHED.RNG] = (i32[SCHED.RNG]! + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Seeds SCHED.RNG. */
export function seedRng(i32: Int32Array, seed: number): void {
  i32[SCHED.RNG] = (seed ^ 0x5bd1e995) | 0 || 0x9e3779b9;
}

/** A uniformly random entity of enabled[0..n). */
export function pickUniform(i32: Int32Array, enabled: Int32Array, n: number): number {
  return enabled[nextU32(i32) % n]!;
}
