import { prepare } from '../../src/host/prepare.js';
import { ActorSchedState, SCHED_ACTOR } from '../../src/shm/sched-struct.js';
import type { SchedView } from '../../src/sched/sched-view.js';
import { WaitOp } from '../../src/sched/wait-spec.js';

/**
 * A controlled run's scheduler state, built on the host without starting a thread:
 * dmatest on one channel, so actor 0 is cpu0 (entities 0 and 1, its interrupts) and actor
 * 1 is the engine dma0 (entity 2).
 */
export function controlledView(options: Record<string, unknown> = {}): SchedView {
  return prepare('dmatest', { mode: 'controlled', channels: 1, iterations: 1, ...options }).view;
}

/** Puts actor `a` in `state`. */
export function setState(v: SchedView, a: number, state: number): void {
  v.i32[v.base[a]! + SCHED_ACTOR.STATE] = state;
}

/** Blocks actor `a` as block() would: a wait spec, its WAKE as seen, a deadline. */
export function blockOn(
  v: SchedView,
  a: number,
  spec: {
    buf?: number;
    index?: number;
    op?: number;
    value?: number;
    flags?: number;
    deadline?: number;
  } = {},
): void {
  const i = v.i32;
  const b = v.base[a]!;
  i[b + SCHED_ACTOR.SPEC_BUF] = spec.buf ?? 0;
  i[b + SCHED_ACTOR.SPEC_INDEX] = spec.index ?? 0;
  i[b + SCHED_ACTOR.SPEC_OP] = spec.op ?? WaitOp.NEVER;
  i[b + SCHED_ACTOR.SPEC_VALUE] = spec.value ?? 0;
  i[b + SCHED_ACTOR.SPEC_FLAGS] = spec.flags ?? 0;
  i[b + SCHED_ACTOR.SPEC_WAKE] = i[b + SCHED_ACTOR.WAKE]!;
  v.f64[(b + SCHED_ACTOR.DEADLINE) / 2] = spec.deadline ?? Infinity;
  i[b + SCHED_ACTOR.STATE] = ActorSchedState.BLOCKED;
}
