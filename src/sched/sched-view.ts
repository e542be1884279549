import { CPU, interruptsDeliverable } from '../shm/cpu-struct.js';
import type { Machine } from '../shm/machine.js';
import {
  ActorSchedState,
  SCHED,
  SCHED_ACTOR,
  SCHED_VNOW_F64,
  schedActorBase,
} from '../shm/sched-struct.js';
import { WaitFlag, WaitOp, opHolds } from './wait-spec.js';

/**
 * One thread's view of the run's scheduler state: the sched buffer, the decision logs, and
 * the machine words that wait conditions and interrupt rules read. Holds no state of its
 * own; every thread (and the host) builds an identical one.
 */
export class SchedView {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly actors: number;
  /** Word offset of each actor's SCHED_ACTOR block. */
  readonly base: Int32Array;
  /** CPU struct offset of each actor that is a CPU, -1 for an engine. */
  readonly cpuBase: Int32Array;
  readonly cpus: Int32Array;
  readonly control: Int32Array;
  /** Condition-word buffers, indexed by WAIT_BUFFERS id. */
  readonly words: readonly Int32Array[];
  /** The decision log of this run: entity per real choice (tracks the buffer's growth). */
  readonly log: Uint16Array;
  /** Decisions to follow (replay of a controlled schedule), or null. */
  readonly replay: Uint16Array | null;
  /** Recorded (seq, label) pairs per actor of a free or chaos run being replayed, or null. */
  readonly follow: readonly Int32Array[] | null;

  constructor(readonly machine: Machine) {
    const b = machine.buffers;
    this.i32 = new Int32Array(b.sched);
    this.f64 = new Float64Array(b.sched);
    this.actors = machine.spec.actors.length;
    this.base = Int32Array.from(machine.spec.actors, (_, a) => schedActorBase(this.actors, a));
    this.cpuBase = Int32Array.from(machine.spec.actors, (a) =>
      a.kind === 'cpu' ? machine.cpuBase(a.index) : -1,
    );
    this.cpus = machine.cpus;
    this.control = machine.control;
    this.words = machine.waitBuffers;
    this.log = new Uint16Array(b.decisions);
    this.replay = b.replay ? new Uint16Array(b.replay) : null;
    this.follow = b.follow ? b.follow.map((f) => new Int32Array(f)) : null;
  }

  /** The run clock of a controlled run (virtual ms). */
  vnow(): number {
    return this.f64[SCHED_VNOW_F64]!;
  }

  state(a: number): number {
    return this.i32[this.base[a]! + SCHED_ACTOR.STATE]!;
  }

  /** prepare_to_wait() of actor `a`: announces the wait. @returns WAKE as read now */
  prepareWait(a: number): number {
    Atomics.store(this.i32, this.base[a]! + SCHED_ACTOR.SLEEPING, 1);
    return Atomics.load(this.i32, this.base[a]! + SCHED_ACTOR.WAKE);
  }

  /** finish_wait() of actor `a`. */
  finishWait(a: number): void {
    Atomics.store(this.i32, this.base[a]! + SCHED_ACTOR.SLEEPING, 0);
  }

  /**
   * Publishes what actor `a` is about to block on (see Scheduler.block), for the threads that
   * decide whether its wait is over. The caller then stores STATE = BLOCKED, last.
   */
  publishWait(
    a: number,
    label: number,
    flags: number,
    deadline: number,
    seen: number,
    buf: number,
    index: number,
    op: number,
    value: number,
  ): void {
    const i = this.i32;
    const b = this.base[a]!;
    i[b + SCHED_ACTOR.SPEC_BUF] = buf;
    i[b + SCHED_ACTOR.SPEC_INDEX] = index;
    i[b + SCHED_ACTOR.SPEC_OP] = op;
    i[b + SCHED_ACTOR.SPEC_VALUE] = value;
    i[b + SCHED_ACTOR.SPEC_FLAGS] = flags;
    i[b + SCHED_ACTOR.SPEC_WAKE] = seen;
    i[b + SCHED_ACTOR.LABEL] = label;
    this.f64[(b + SCHED_ACTOR.DEADLINE) / 2] = deadline;
  }

  /** Whether blocked actor `a`'s wait is over (condition, wake or deadline). */
  waitOver(a: number, now: number): boolean {
    const i = this.i32;
    const b = this.base[a]!;
    if (Atomics.load(i, b + SCHED_ACTOR.WAKE) !== i[b + SCHED_ACTOR.SPEC_WAKE]) return true;
    if (this.f64[(b + SCHED_ACTOR.DEADLINE) / 2]! <= now) return true;
    const op = i[b + SCHED_ACTOR.SPEC_OP]!;
    if (op === WaitOp.NEVER) return false;
    const w = this.words[i[b + SCHED_ACTOR.SPEC_BUF]!]!;
    return opHolds(
      Atomics.load(w, i[b + SCHED_ACTOR.SPEC_INDEX]!),
      op,
      i[b + SCHED_ACTOR.SPEC_VALUE]!,
    );
  }

  /** Deadline of blocked actor `a` (run-clock ms, Infinity when none). */
  deadline(a: number): number {
    return this.f64[(this.base[a]! + SCHED_ACTOR.DEADLINE) / 2]!;
  }

  /** Whether actor `a` is a CPU with interrupts it could take now. */
  canTakeIrq(a: number): boolean {
    const cb = this.cpuBase[a]!;
    if (cb < 0) return false;
    const st = this.state(a);
    if (st === ActorSchedState.EXITED) return false;
    if (
      st === ActorSchedState.BLOCKED &&
      (this.i32[this.base[a]! + SCHED_ACTOR.SPEC_FLAGS]! & WaitFlag.INTERRUPTIBLE) === 0
    )
      return false;
    return interruptsDeliverable(this.cpus, cb);
  }

  /**
   * The waker side of every wait: bumps actor `a`'s WAKE if it is in a wait, and notifies it
   * if it is asleep. The waiter stores SLEEPING, then reads WAKE, then re-checks what it
   * waits for: either it sees our change, or we see SLEEPING and move WAKE past what it
   * read. A notify is a futex call, so it is made only for a waiter in Atomics.wait
   * (NAPPING), whose wait returns at once anyway if WAKE moved before it slept.
   */
  wake(a: number): void {
    const i = this.i32;
    const b = this.base[a]!;
    if (Atomics.load(i, b + SCHED_ACTOR.SLEEPING) === 0) return;
    Atomics.add(i, b + SCHED_ACTOR.WAKE, 1);
    if (Atomics.load(i, b + SCHED_ACTOR.NAPPING) !== 0) Atomics.notify(i, b + SCHED_ACTOR.WAKE);
  }

  /** Wakes every actor (a phase change: each re-checks what it waits for). */
  wakeAll(): void {
    for (let a = 0; a < this.actors; a++) this.wake(a);
  }

  /**
   * Wakes every actor blocked on condition word (`buf`, `index`): lock release, wake_up_var().
   * A waiter stores its spec, then STATE = BLOCKED, then checks the word a last time; we
   * change the word, then read STATE and only then the spec (the BLOCKED store carries the
   * spec with it): either the waiter sees our change or we see its wait.
   */
  wakeWaitersOn(buf: number, index: number): void {
    const i = this.i32;
    for (let a = 0; a < this.actors; a++) {
      const b = this.base[a]!;
      if (
        Atomics.load(i, b + SCHED_ACTOR.STATE) === ActorSchedState.BLOCKED &&
        Atomics.load(i, b + SCHED_ACTOR.SPEC_INDEX) === index &&
        Atomics.load(i, b + SCHED_ACTOR.SPEC_BUF) === buf
      )
        this.wake(a);
    }
  }

  /**
   * Writes decision `k` (the token holder only), growing the log by doubling when full; a
   * log at its maximum keeps counting in SCHED.LOGGED but stores no more.
   */
  logDecision(k: number, e: number): void {
    const log = this.log;
    if (k >= log.length) {
      const buf = log.buffer as SharedArrayBuffer;
      if (buf.byteLength >= buf.maxByteLength) return;
      buf.grow(Math.min(buf.maxByteLength, 2 * buf.byteLength));
    }
    log[k] = e;
  }

  /**
   * Registers actor `a` on the wait queue word (`buf`, `index`) (-1: none).
   * @returns the registration it replaces (a wait nested in an interrupt restores it)
   */
  registerWaitQueue(a: number, buf: number, index: number): [number, number] {
    const i = this.i32;
    const b = this.base[a]!;
    const before: [number, number] = [i[b + SCHED_ACTOR.WQ_BUF]!, i[b + SCHED_ACTOR.WQ_INDEX]!];
    Atomics.store(i, b + SCHED_ACTOR.WQ_BUF, buf);
    Atomics.store(i, b + SCHED_ACTOR.WQ_INDEX, index);
    return before;
  }

  /** wake_up(): wakes every actor registered on the wait queue word (`buf`, `index`). */
  wakeQueue(buf: number, index: number): void {
    const i = this.i32;
    for (let a = 0; a < this.actors; a++) {
      // Only CPUs register on wait queues (WaitQueueHead runs kernel code): engines never.
      if (this.cpuBase[a]! < 0) continue;
      const b = this.base[a]!;
      if (
        Atomics.load(i, b + SCHED_ACTOR.WQ_INDEX) === index &&
        Atomics.load(i, b + SCHED_ACTOR.WQ_BUF) === buf
      )
        this.wake(a);
    }
  }

  /** CPU id of actor `a` (for reports), -1 for an engine. */
  cpuId(a: number): number {
    const cb = this.cpuBase[a]!;
    return cb < 0 ? -1 : cb / CPU.WORDS;
  }

  /** Entities: actor a's code is 2a, its interrupts 2a + 1. */
  entities(): number {
    return this.i32[SCHED.ENTITIES]!;
  }
}
