import { CPU, CpuContext, MAX_HELD_LOCKS } from '../shm/cpu-struct.js';
import { CHAN, TaskletState } from '../shm/channel-struct.js';
import { CONTROL, Phase, STAT } from '../shm/control-block.js';
import type { Machine } from '../shm/machine.js';
import { irqHandler, taskletFn } from './interrupts.js';
import { FIRST_SLEEP_MS, SPIN_LOADS, WAIT_SLICE_MS } from './raw-lock.js';
import { RunAborted } from './run-aborted.js';

/** MAX_SOFTIRQ_RESTART: rounds of tasklets one softirq entry runs before it yields. */
const MAX_SOFTIRQ_RESTART = 10;

/**
 * One simulated CPU, as seen by the thread that is that CPU. Its context, irq/bh-disable
 * depths and pending work live in shared memory (CPU layout); this object is the code.
 *
 * JavaScript cannot interrupt a running function, so interrupts are taken at preemption
 * points: lock/unlock, API entry/exit, provider callbacks, cpuRelax() and every wait.
 */
export class Cpu {
  readonly w: Int32Array;
  readonly base: number;
  private readonly chans: Int32Array;
  private readonly control: Int32Array;
  private relaxCount = 0;
  private readonly statBase: number;
  /** This CPU's actor index (its stats and watchdog words). */
  readonly actorIndex: number;
  /** When each held lock was taken (ms; 0 when not timed), parallel to CPU.HELD. */
  readonly heldSince = new Float64Array(MAX_HELD_LOCKS);
  /** How long each held lock was waited for (ms), parallel to CPU.HELD. */
  readonly heldWait = new Float64Array(MAX_HELD_LOCKS);

  constructor(
    readonly machine: Machine,
    readonly id: number,
  ) {
    this.w = machine.cpus;
    this.base = machine.cpuBase(id);
    this.chans = machine.chans;
    this.control = machine.control;
    this.actorIndex = machine.spec.actors.findIndex((a) => a.kind === 'cpu' && a.index === id);
    this.statBase = machine.statBase(this.actorIndex);
  }

  /** The context running now. */
  context(): CpuContext {
    return this.w[this.base + CPU.CONTEXT] as CpuContext;
  }

  /** in_irq(): in a hardirq handler. */
  inHardirq(): boolean {
    return this.w[this.base + CPU.CONTEXT] === CpuContext.HARDIRQ;
  }

  /** in_interrupt(): in hardirq or softirq context. */
  inInterrupt(): boolean {
    return this.w[this.base + CPU.CONTEXT] !== CpuContext.PROCESS;
  }

  /** irqs_disabled(). */
  irqsDisabled(): boolean {
    return this.w[this.base + CPU.IRQ_DISABLED] !== 0;
  }

  /** in_atomic(): interrupt context, bh disabled, or a spinlock held (preemption off). */
  inAtomic(): boolean {
    const w = this.w;
    const b = this.base;
    return (
      w[b + CPU.CONTEXT] !== CpuContext.PROCESS ||
      w[b + CPU.BH_DISABLED] !== 0 ||
      w[b + CPU.PREEMPT_COUNT] !== 0
    );
  }

  /** Whether a hardirq could run here now (lockdep's hardirqs_enabled). */
  hardirqsOn(): boolean {
    return (
      this.w[this.base + CPU.IRQ_DISABLED] === 0 &&
      this.w[this.base + CPU.CONTEXT] !== CpuContext.HARDIRQ
    );
  }

  /** Whether softirqs could run here now (lockdep's softirqs_enabled). */
  softirqsOn(): boolean {
    return (
      this.w[this.base + CPU.BH_DISABLED] === 0 &&
      this.w[this.base + CPU.CONTEXT] === CpuContext.PROCESS
    );
  }

  /** local_irq_save(): disables interrupts; returns the flags for the restore. */
  localIrqSave(): number {
    return this.w[this.base + CPU.IRQ_DISABLED]!++;
  }

  /** local_irq_restore(flags): back to the saved depth, then take what became pending. */
  localIrqRestore(flags: number): void {
    this.w[this.base + CPU.IRQ_DISABLED] = flags;
    if (flags === 0) this.preemptionPoint();
  }

  /** local_bh_disable(). */
  localBhDisable(): void {
    this.w[this.base + CPU.BH_DISABLED]!++;
  }

  /** local_bh_enable(): runs pending softirqs when the count drops to zero. */
  localBhEnable(): void {
    if (--this.w[this.base + CPU.BH_DISABLED]! === 0) this.preemptionPoint();
  }

  /**
   * A preemption point: pending hardirqs if irqs are on, then pending softirqs if bh is on
   * and we are not already in interrupt context (as irq_exit() -> invoke_softirq()).
   */
  preemptionPoint(): void {
    const w = this.w;
    const b = this.base;
    // Plain reads on purpose: this is the hottest check of the simulator and an Atomics.load
    // costs ~5x a plain one here. A raised irq is seen at the next point after the raising
    // store drains; every blocking wait re-reads the word with Atomics (see idle()).
    if (
      w[b + CPU.IRQ_PENDING] !== 0 &&
      w[b + CPU.IRQ_DISABLED] === 0 &&
      w[b + CPU.CONTEXT] !== CpuContext.HARDIRQ
    ) {
      this.runHardirqs();
    }
    if (
      w[b + CPU.SOFTIRQ_PENDING] !== 0 &&
      w[b + CPU.CONTEXT] === CpuContext.PROCESS &&
      w[b + CPU.BH_DISABLED] === 0 &&
      w[b + CPU.IRQ_DISABLED] === 0
    ) {
      this.runSoftirqs();
    }
  }

  /** Runs the handler of every pending line routed here, in hardirq context, irqs off. */
  private runHardirqs(): void {
    const w = this.w;
    const b = this.base;
    const saved = w[b + CPU.CONTEXT]!;
    w[b + CPU.CONTEXT] = CpuContext.HARDIRQ;
    w[b + CPU.IRQ_DISABLED]!++;
    try {
      const chans = this.chans;
      const n = this.machine.spec.channels;
      for (let c = 0; c < n; c++) {
        const cb = c * CHAN.WORDS;
        if (chans[cb + CHAN.IRQ_CPU] !== this.id) continue;
        // Clear the line before the handler reads the hardware: a completion that lands
        // during the handler raises it again instead of being lost.
        if (Atomics.exchange(chans, cb + CHAN.IRQ_PENDING, 0) === 0) continue;
        Atomics.sub(w, b + CPU.IRQ_PENDING, 1);
        irqHandler(c)?.(c);
      }
    } finally {
      w[b + CPU.IRQ_DISABLED]!--;
      w[b + CPU.CONTEXT] = saved;
    }
  }

  /** Runs the tasklets scheduled on this CPU, in softirq context with bh off. */
  private runSoftirqs(): void {
    const w = this.w;
    const b = this.base;
    const chans = this.chans;
    const n = this.machine.spec.channels;
    w[b + CPU.CONTEXT] = CpuContext.SOFTIRQ;
    w[b + CPU.BH_DISABLED]!++;
    try {
      for (let round = 0; round < MAX_SOFTIRQ_RESTART; round++) {
        if (w[b + CPU.SOFTIRQ_PENDING] === 0) break;
        for (let c = 0; c < n; c++) {
          const cb = c * CHAN.WORDS;
          if (chans[cb + CHAN.TASKLET_CPU] !== this.id) continue;
          const state = Atomics.load(chans, cb + CHAN.TASKLET_STATE);
          if ((state & TaskletState.SCHED) === 0) continue;
          // tasklet_action(): take RUN, then clear SCHED; a schedule during the run sets
          // SCHED again and the tasklet runs once more.
          if (
            Atomics.compareExchange(chans, cb + CHAN.TASKLET_STATE, state, TaskletState.RUN) !==
            state
          )
            continue;
          w[b + CPU.SOFTIRQ_PENDING]!--;
          try {
            taskletFn(c)?.(c);
          } finally {
            Atomics.and(chans, cb + CHAN.TASKLET_STATE, ~TaskletState.RUN);
          }
        }
      }
    } finally {
      w[b + CPU.BH_DISABLED]!--;
      w[b + CPU.CONTEXT] = CpuContext.PROCESS;
    }
  }

  /** tasklet_schedule() on this CPU. */
  taskletSchedule(chan: number): void {
    const chans = this.chans;
    const cb = chan * CHAN.WORDS;
    // A completion burst schedules the same tasklet many times: the plain pre-check saves
    // the atomic for all but the first. Only the CPU that schedules a tasklet runs it.
    if ((chans[cb + CHAN.TASKLET_STATE]! & TaskletState.SCHED) !== 0) return;
    if ((Atomics.or(chans, cb + CHAN.TASKLET_STATE, TaskletState.SCHED) & TaskletState.SCHED) !== 0)
      return;
    Atomics.store(chans, cb + CHAN.TASKLET_CPU, this.id);
    this.w[this.base + CPU.SOFTIRQ_PENDING]!++;
  }

  /** Whether the run asks clients to stop (kthread_should_stop()). */
  shouldStop(): boolean {
    return Atomics.load(this.control, CONTROL.PHASE) >= Phase.STOPPING;
  }

  /** Throws RunAborted when the host aborts the run (watchdog). */
  checkAbort(): void {
    const phase = Atomics.load(this.control, CONTROL.PHASE);
    if (phase >= Phase.ABORTED || Atomics.load(this.control, CONTROL.FAILED) !== 0) {
      throw new RunAborted(phase >= Phase.ABORTED ? 'watchdog' : 'another actor failed');
    }
  }

  /** cpu_relax(): a preemption point in a busy-wait; every so often, a short sleep. */
  cpuRelax(): void {
    this.preemptionPoint();
    if ((++this.relaxCount & 0xff) === 0) {
      this.checkAbort();
      this.idle(() => false, 0.05);
    }
  }

  /**
   * Waits until `cond()` holds or `timeoutMs` passes, taking interrupts meanwhile (a CPU
   * whose task sleeps still runs its interrupts). Spins briefly, then sleeps on WAKE.
   * @returns whether `cond()` held
   */
  idle(cond: () => boolean, timeoutMs: number): boolean {
    const w = this.w;
    const b = this.base;
    const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
    // Conditions that nobody notifies (hardware state) are re-polled after sleeps that
    // start short and double; wake-driven ones end the sleep at once.
    let slice = FIRST_SLEEP_MS;
    for (;;) {
      this.preemptionPoint();
      if (cond()) return true;
      this.checkAbort();
      const now = performance.now();
      if (now >= deadline) return false;
      const seen = Atomics.load(w, b + CPU.WAKE);
      if (this.spin(seen, cond, Math.min(deadline, now + this.machine.spec.idleSpinMs))) continue;
      // Announce the sleep, then re-check: wakers bump WAKE and notify only if SLEEPING.
      Atomics.store(w, b + CPU.SLEEPING, 1);
      if (
        !cond() &&
        Atomics.load(w, b + CPU.IRQ_PENDING) === 0 &&
        w[b + CPU.SOFTIRQ_PENDING] === 0
      ) {
        Atomics.wait(w, b + CPU.WAKE, seen, Math.min(deadline - performance.now(), slice));
        this.machine.stats[this.statBase + STAT.SLEEPS]!++;
        slice = Math.min(slice * 2, WAIT_SLICE_MS);
      }
      Atomics.store(w, b + CPU.SLEEPING, 0);
    }
  }

  /** Spins until WAKE moves, `cond()` holds or `until`; @returns whether to re-check at once. */
  private spin(seen: number, cond: () => boolean, until: number): boolean {
    const w = this.w;
    const i = this.base + CPU.WAKE;
    for (;;) {
      for (let n = 0; n < SPIN_LOADS; n++) if (Atomics.load(w, i) !== seen) return true;
      if (cond()) return true;
      if (performance.now() >= until) return false;
    }
  }
}

/** Wakes CPU `cpu` if it sleeps (the waker side of Cpu.idle). */
export function wakeCpu(machine: Machine, cpu: number): void {
  const w = machine.cpus;
  const b = machine.cpuBase(cpu);
  Atomics.add(w, b + CPU.WAKE, 1);
  if (Atomics.load(w, b + CPU.SLEEPING) !== 0) Atomics.notify(w, b + CPU.WAKE, 1);
}

/** Raises channel `chan`'s interrupt line towards the CPU of its affinity (hardware side). */
export function raiseIrq(machine: Machine, chan: number): void {
  const chans = machine.chans;
  const cb = chan * CHAN.WORDS;
  if (Atomics.compareExchange(chans, cb + CHAN.IRQ_PENDING, 0, 1) !== 0) return;
  const cpu = Atomics.load(chans, cb + CHAN.IRQ_CPU);
  Atomics.add(machine.cpus, machine.cpuBase(cpu) + CPU.IRQ_PENDING, 1);
  wakeCpu(machine, cpu);
}
