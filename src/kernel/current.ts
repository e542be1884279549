import type { Machine } from '../shm/machine.js';
import type { EventEmitter } from '../events/emitter.js';
import type { Cpu } from './cpu.js';
import type { RunClock } from '../sched/run-clock.js';
import type { ActorScheduler } from '../sched/create.js';
import type { SchedView } from '../sched/sched-view.js';

/**
 * What the running thread is, like the kernel's `current` and smp_processor_id(): a worker
 * hosts one actor at a time, so these are per-thread globals set when the actor attaches.
 */
export interface ActorContext {
  machine: Machine;
  /** Actor index in the run (its ring and stats slot). */
  index: number;
  name: string;
  emitter: EventEmitter;
  /** The run clock: wall time, or virtual time in a controlled run. */
  clock: RunClock;
  /** This actor's scheduling point (free, chaos or controlled). */
  sched: ActorScheduler;
  /** The run's scheduler state as this thread sees it (wakes, wait specs). */
  schedView: SchedView;
  /** The CPU this actor is, or null for an engine (hardware). */
  cpu: Cpu | null;
  /** printk buffer of this actor: lines with their run time. */
  dmesg: { time: number; line: string }[];
}

let current: ActorContext | null = null;

/** Makes `ctx` the thread's current actor (null to detach). */
export function setCurrentActor(ctx: ActorContext | null): void {
  current = ctx;
  // The descriptor pool's alloc and free records name this actor (see shm/desc-records.ts).
  // Unit tests attach partial contexts without a machine.
  const pool = (ctx?.machine as { pool?: Machine['pool'] } | undefined)?.pool;
  if (ctx && pool) {
    pool.recorder = {
      actor: ctx.index,
      context: () => (ctx.cpu ? ctx.cpu.context() : 3),
      now: () => ctx.clock.now(),
    };
  }
}

/** The thread's current actor; throws if none is attached (a library bug, not misuse). */
export function currentActor(): ActorContext {
  if (current === null) throw new Error('no actor is attached to this thread');
  return current;
}

/** smp_processor_id()'s CPU object; throws when called on an engine or outside a run. */
export function thisCpu(): Cpu {
  const cpu = currentActor().cpu;
  if (cpu === null) throw new Error('kernel code called on an engine actor, not a CPU');
  return cpu;
}

/** printk(): appends a line to the current actor's log. */
export function printk(line: string): void {
  const ctx = currentActor();
  ctx.dmesg.push({ time: ctx.clock.now(), line });
}
