import { CPU, CpuContext, MAX_HELD_LOCKS, interruptsDeliverable } from '../shm/cpu-struct.js';
import { IRQ, TASKLET, TaskletState } from '../shm/irq-struct.js';
import { CONTROL, Phase } from '../shm/control-block.js';
import type { Machine } from '../shm/machine.js';
import type { InterruptSink } from '../sched/scheduler.js';
import type { ActorScheduler } from '../sched/create.js';
import { Point } from '../sched/labels.js';
import { throwIfAborted } from '../sched/run-aborted.js';
import type { SchedView } from '../sched/sched-view.js';
import { WaitFlag, WaitOp, opHolds, wordRef } from '../sched/wait-spec.js';
import { EventCode } from '../events/kinds.js';
import { trace } from '../events/trace.js';
import { TASKLET_SOFTIRQ, irqHandler, taskletFn } from './interrupts.js';
import { definedIrqHandler } from './irq-handlers.js';
import { printk } from './current.js';

/** MAX_SOFTIRQ_RESTART: rounds of tasklets one softirq entry runs before it yields. */
const MAX_SOFTIRQ_RESTART = 10;

/**
 * One simulated CPU, as seen by the thread that is that CPU. Its context, irq/bh-disable
 * depths and pending work live in shared memory (CPU layout); this object is the code.
 *
 * JavaScript cannot interrupt a running function, so interrupts are taken at preemption
 * points: lock/unlock, API entry/exit, provider callbacks, cpuRelax() and every wait. Every
 * point goes through the run's scheduler, which decides when pending interrupts are taken:
 * at once (free, chaos) or when the schedule says so (controlled).
 */
export class Cpu implements InterruptSink {
  readonly w: Int32Array;
  readonly base: number;
  private readonly irqs: Int32Array;
  private readonly tasklets: Int32Array;
  private readonly control: Int32Array;
  /** This CPU's actor index (its stats and watchdog words). */
  readonly actorIndex: number;
  /** When each held lock was taken (run-clock ms; 0 when not timed), parallel to CPU.HELD. */
  readonly heldSince = new Float64Array(MAX_HELD_LOCKS);
  /** How long each held lock was waited for (ms), parallel to CPU.HELD. */
  readonly heldWait = new Float64Array(MAX_HELD_LOCKS);

  constructor(
    readonly machine: Machine,
    readonly id: number,
    readonly sched: ActorScheduler,
    readonly schedView: SchedView,
  ) {
    this.w = machine.cpus;
    this.base = machine.cpuBase(id);
    this.irqs = machine.irqs;
    this.tasklets = machine.tasklets;
    this.control = machine.control;
    this.actorIndex = machine.cpuActor[id]!;
    sched.setInterruptSink(this);
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
    if (flags === 0) this.sched.point(Point['irq.enable']);
  }

  /** local_bh_disable(). */
  localBhDisable(): void {
    this.w[this.base + CPU.BH_DISABLED]!++;
  }

  /** local_bh_enable(): runs pending softirqs when the count drops to zero. */
  localBhEnable(): void {
    if (--this.w[this.base + CPU.BH_DISABLED]! === 0) this.sched.point(Point['bh.enable']);
  }

  /** A preemption point labelled `label` (see sched/labels.ts). */
  point(label: number): void {
    this.sched.point(label);
  }

  /** Whether interrupts could be delivered here now (the scheduler asks). */
  pending(): boolean {
    return interruptsDeliverable(this.w, this.base);
  }

  /**
   * Takes what is pending: hardirq handlers if irqs are on, then softirqs if bh is on and we
   * are not already in interrupt context (as irq_exit() -> invoke_softirq()).
   */
  take(): void {
    const w = this.w;
    const b = this.base;
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
      const irqs = this.irqs;
      const n = this.machine.spec.irqs.length;
      for (let line = 0; line < n; line++) {
        const ib = line * IRQ.WORDS;
        if (irqs[ib + IRQ.CPU] !== this.id) continue;
        // Clear the line before the handler reads the hardware: a completion that lands
        // during the handler raises it again instead of being lost.
        if (Atomics.exchange(irqs, ib + IRQ.PENDING, 0) === 0) continue;
        Atomics.sub(w, b + CPU.IRQ_PENDING, 1);
        trace(EventCode.irq_handler_entry, line);
        const own = irqHandler(line);
        if (own) own(line);
        else this.requestedHandler(line);
        trace(EventCode.irq_handler_exit, line);
      }
    } finally {
      w[b + CPU.IRQ_DISABLED]!--;
      w[b + CPU.CONTEXT] = saved;
    }
  }

  /** The handler request_irq() installed on `line`; counts the interrupt when none is. */
  private requestedHandler(line: number): void {
    const irqs = this.irqs;
    const ib = line * IRQ.WORDS;
    const h = definedIrqHandler(Atomics.load(irqs, ib + IRQ.HANDLER));
    if (h) {
      h.fn(line, irqs[ib + IRQ.DEV_ID]!);
      return;
    }
    // note_interrupt(): nobody handled it; said once per line, counted always.
    if (Atomics.add(irqs, ib + IRQ.UNHANDLED, 1) === 0) {
      printk(`irq ${line}: nobody cared (no handler installed)`);
    }
  }

  /** Runs the tasklets scheduled on this CPU, in softirq context with bh off. */
  private runSoftirqs(): void {
    const w = this.w;
    const b = this.base;
    const tasklets = this.tasklets;
    const n = this.machine.spec.tasklets.length;
    w[b + CPU.CONTEXT] = CpuContext.SOFTIRQ;
    w[b + CPU.BH_DISABLED]!++;
    trace(EventCode.softirq_entry, TASKLET_SOFTIRQ);
    try {
      for (let round = 0; round < MAX_SOFTIRQ_RESTART; round++) {
        if (w[b + CPU.SOFTIRQ_PENDING] === 0) break;
        for (let t = 0; t < n; t++) {
          const tb = t * TASKLET.WORDS;
          const state = Atomics.load(tasklets, tb + TASKLET.STATE);
          // Only tasklets queued on this CPU: their SOFTIRQ_PENDING count is ours. One that
          // still runs elsewhere waits (tasklet_trylock()).
          if ((state & TaskletState.SCHED) === 0 || (state & TaskletState.RUN) !== 0) continue;
          if (state >>> TaskletState.CPU_SHIFT !== this.id + 1) continue;
          // tasklet_action(): take RUN, then clear SCHED; a schedule during the run sets
          // SCHED again and the tasklet runs once more.
          if (
            Atomics.compareExchange(tasklets, tb + TASKLET.STATE, state, TaskletState.RUN) !== state
          )
            continue;
          w[b + CPU.SOFTIRQ_PENDING]!--;
          trace(EventCode.tasklet_entry, t);
          try {
            taskletFn(t)?.(t);
            trace(EventCode.tasklet_exit, t);
          } finally {
            Atomics.and(tasklets, tb + TASKLET.STATE, ~TaskletState.RUN);
          }
        }
      }
      trace(EventCode.softirq_exit, TASKLET_SOFTIRQ);
    } finally {
      w[b + CPU.BH_DISABLED]!--;
      w[b + CPU.CONTEXT] = CpuContext.PROCESS;
    }
  }

  /** tasklet_schedule() of tasklet `t` on this CPU. */
  taskletSchedule(t: number): void {
    const tasklets = this.tasklets;
    const tb = t * TASKLET.WORDS;
    // A completion burst schedules the same tasklet many times: the plain read saves the
    // atomics for all but the first. Only the CPU that schedules a tasklet runs it.
    const st = tb + TASKLET.STATE;
    let old = tasklets[st]!;
    // Set SCHED and name this CPU in one step: a CPU that saw SCHED under a stale name
    // would run our tasklet and take one off its own count, leaving ours one too high.
    // The CAS decides: a stale plain read costs a retry with the value it returns.
    const queued = TaskletState.SCHED | ((this.id + 1) << TaskletState.CPU_SHIFT);
    for (;;) {
      if ((old & TaskletState.SCHED) !== 0) return;
      const seen = Atomics.compareExchange(tasklets, st, old, old | queued);
      if (seen === old) break;
      old = seen;
    }
    // A copy of the CPU in STATE for reports, read by nobody on the hot path: published by
    // the next atomic, like the rest of the run's plain words.
    tasklets[tb + TASKLET.CPU] = this.id;
    this.w[this.base + CPU.SOFTIRQ_PENDING]!++;
  }

  /** Whether the run asks clients to stop (kthread_should_stop()). */
  shouldStop(): boolean {
    return Atomics.load(this.control, CONTROL.PHASE) >= Phase.STOPPING;
  }

  /** Throws RunAborted when the host aborts the run (watchdog) or another actor crashed. */
  checkAbort(): void {
    throwIfAborted(this.control);
  }

  /** cpu_relax(): one step of a busy-wait (a point; time passes). */
  cpuRelax(): void {
    this.sched.relax();
  }

  /**
   * The core of wait_event_timeout(): sleeps until `cond()` holds or `timeoutMs` passes on
   * the run clock, taking interrupts meanwhile (a CPU whose task sleeps still runs its
   * interrupts). `cond` is the waiter's own check, re-run after every wake, exactly as the
   * kernel's condition: whoever makes it true must wake this CPU (wake_up()).
   * @returns whether `cond()` held
   */
  waitEvent(label: number, cond: () => boolean, timeoutMs: number): boolean {
    return this.wait(label, cond, timeoutMs, 0, 0, WaitOp.NEVER, 0, WaitFlag.INTERRUPTIBLE);
  }

  /**
   * Sleeps until `words[index] op value` or the timeout, taking interrupts meanwhile. The
   * condition is data, so any thread can tell when it holds: no wake is needed (a
   * `wakeUpVar()` after the change saves free mode a poll).
   * @returns whether the condition held
   */
  waitWord(
    label: number,
    words: Int32Array,
    index: number,
    op: WaitOp,
    value: number,
    timeoutMs: number,
    flags: number = WaitFlag.INTERRUPTIBLE,
  ): boolean {
    const ref = wordRef(this.machine.waitBuffers, words, index);
    return this.wait(label, null, timeoutMs, ref.buf, ref.index, op, value, flags);
  }

  private wait(
    label: number,
    cond: (() => boolean) | null,
    timeoutMs: number,
    buf: number,
    index: number,
    op: number,
    value: number,
    flags: number,
  ): boolean {
    const sched = this.sched;
    const deadline = sched.deadline(timeoutMs);
    const words = cond === null ? this.machine.waitBuffers[buf]! : null;
    try {
      for (;;) {
        const seen = sched.prepareWait();
        if (cond !== null ? cond() : opHolds(Atomics.load(words!, index), op, value)) return true;
        if (sched.clock.now() >= deadline) return false;
        sched.block(label, flags, deadline, seen, buf, index, op, value);
      }
    } finally {
      sched.finishWait();
    }
  }
}

/** Raises interrupt line `line` towards the CPU of its affinity (hardware side). */
export function raiseIrq(view: SchedView, line: number): void {
  const machine = view.machine;
  const irqs = machine.irqs;
  const ib = line * IRQ.WORDS;
  if (Atomics.compareExchange(irqs, ib + IRQ.PENDING, 0, 1) !== 0) return;
  const cpu = Atomics.load(irqs, ib + IRQ.CPU);
  Atomics.add(machine.cpus, machine.cpuBase(cpu) + CPU.IRQ_PENDING, 1);
  // A CPU in an interruptible wait sees the line at once (free) or can be scheduled to take it.
  view.wake(machine.cpuActor[cpu]!);
}
