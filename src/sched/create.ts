import { SCHED } from '../shm/sched-struct.js';
import { ChaosScheduler } from './chaos.js';
import { ControlledScheduler } from './controlled.js';
import { FreeScheduler } from './free.js';
import { deriveSeed } from './random.js';
import { VirtualClock, WallClock } from './run-clock.js';
import type { Scheduler } from './scheduler.js';
import type { SchedView } from './sched-view.js';
import { strategyById } from './strategies/registry.js';

/** A scheduler with the interrupt hook the CPU installs. */
export type ActorScheduler = Scheduler & {
  setInterruptSink(sink: import('./scheduler.js').InterruptSink): void;
};

/**
 * The scheduler of actor `actor` in this thread, for the run's mode (MachineSpec.sched).
 * @param pokeHost rings the host's doorbell (a controlled schedule ended or deadlocked)
 */
export function createScheduler(v: SchedView, actor: number, pokeHost: () => void): ActorScheduler {
  const { machine } = v;
  const spec = machine.spec.sched;
  const stats = machine.stats;
  const statBase = machine.statBase(actor);
  switch (spec.mode) {
    case 'controlled':
      return new ControlledScheduler(
        v,
        actor,
        strategyById(v.i32[SCHED.STRATEGY]!),
        new VirtualClock(v.f64),
        stats,
        statBase,
        spec.cores,
        pokeHost,
      );
    case 'chaos':
      return new ChaosScheduler(
        v,
        actor,
        new WallClock(machine.spec.epochMs),
        recordOf(v, actor),
        stats,
        statBase,
        spec.cores,
        deriveSeed(machine.spec.seed, 0x5eed + actor),
        { prob: spec.chaosProb, maxDelayUs: spec.chaosDelayUs },
      );
    case 'free':
      return new FreeScheduler(
        v,
        actor,
        new WallClock(machine.spec.epochMs),
        recordOf(v, actor),
        stats,
        statBase,
        spec.cores,
      );
    default: {
      const never: never = spec.mode;
      return never;
    }
  }
}

function recordOf(v: SchedView, actor: number): Int32Array | null {
  const r = v.machine.buffers.records?.[actor];
  return r ? new Int32Array(r) : null;
}
