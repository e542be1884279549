import { CONTROL, Phase } from '../shm/control-block.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { SchedView } from '../sched/sched-view.js';
import { WAIT_SLICE_MS } from '../sched/wait-slices.js';
import { WaitFlag, WaitOp } from '../sched/wait-spec.js';

/** Whether the run still wants its hardware running (not yet shutting down). */
export function engineRunning(control: Int32Array): boolean {
  return Atomics.load(control, CONTROL.PHASE) < Phase.SHUTDOWN;
}

/**
 * An engine without work waits for some: first polls `hasWork` for a while (the driver
 * writes the registers it reads anyway, so nobody has to ring), then announces the wait,
 * re-checks, and sleeps until a doorbell (SchedView.wake() of the engine's actor) or the
 * shutdown. The announce-then-check order is what makes a doorbell rung between the check
 * and the sleep impossible to lose: the driver stores its register, then reads the wait
 * flag; the engine announces, then reads the register.
 * @param label the point it waits at (sched/labels.ts)
 */
export function engineIdle(
  sched: Scheduler,
  control: Int32Array,
  hasWork: () => boolean,
  label: number,
): void {
  const busy = (): boolean => hasWork() || !engineRunning(control);
  if (sched.spinUntil(busy, label)) return;
  const seen = sched.prepareWait();
  try {
    if (busy()) return;
    sched.block(label, WaitFlag.NO_SPIN, Infinity, seen, 0, 0, WaitOp.NEVER, 0);
  } finally {
    sched.finishWait();
  }
}

/**
 * Rings the controller's doorbell after the driver published new work (a queue tail,
 * a reset request): wakes the engine actor. A busy engine polls those registers itself, so
 * the doorbell rings only for a waiting one (SchedView.wake() checks): the engine announces
 * its wait then re-reads the registers, we store the register then read its flag (Dekker),
 * so one of us sees the other. Skipping the ring while the engine is busy keeps its line
 * from bouncing at every refill.
 */
export function ringDoorbell(view: SchedView, dev: number): void {
  view.wake(view.machine.engineActor[dev]!);
}

/** A word nobody notifies: timed sleeps of busy hardware in free and chaos runs. */
const NAP = new Int32Array(new SharedArrayBuffer(4));

/**
 * Busy hardware until run-clock time `t` (a device's period, an engine's latency).
 * Controlled: a wait on the virtual clock, so the others run meanwhile and the time costs
 * nothing. Free and chaos: spins for delays up to `spinMs`, a timed sleep for longer ones
 * (not woken early). Returns early when the run shuts down.
 * @param label the point it waits at (sched/labels.ts)
 * @param spinMs the longest delay worth a core: an engine pacing its copies wants
 *   precision (2 ms); a device with a FIFO behind it wants the core left to the DMA
 */
export function hardwareDelayUntil(
  sched: Scheduler,
  control: Int32Array,
  controlled: boolean,
  t: number,
  label: number,
  spinMs = 2,
): void {
  const clock = sched.clock;
  if (!controlled) {
    // One point per delay, as the controlled wait below is.
    sched.point(label);
    for (;;) {
      const left = t - clock.now();
      if (left <= 0 || !engineRunning(control)) return;
      if (left > spinMs) Atomics.wait(NAP, 0, 0, Math.min(left - spinMs / 2, WAIT_SLICE_MS));
    }
  }
  try {
    for (;;) {
      const seen = sched.prepareWait();
      if (clock.now() >= t || !engineRunning(control)) return;
      sched.block(label, 0, t, seen, 0, 0, WaitOp.NEVER, 0);
    }
  } finally {
    sched.finishWait();
  }
}
