import type { Machine } from '../shm/machine.js';
import type { StateDecl, StateEntry } from '../shm/state-layout.js';
import type { FieldName, FieldSpecs, LockField, Struct, WaitQueueField } from '../shm/struct.js';
import { KSpinlock } from './spinlock.js';
import { KMutex } from './mutex.js';
import { WaitQueueHead } from './waitqueue.js';
import { DmasimError } from '../errors.js';
import { currentActor } from './current.js';
import type { KcsanTable } from '../shm/kcsan-table.js';
import { kcsanCheck } from './kcsan/detector.js';
import { accessor } from './kcsan/caller.js';

/**
 * First lock id of locks in declared state: id = STATE_LOCK_BASE + the lock word's index in
 * the arena. Above every channel lock id (chanLockId() < 2^24 for any channel a run has),
 * and below 2^31: an arena word index is below 2^29.
 */
export const STATE_LOCK_BASE = 1 << 30;

/** The lock id of the lock word at byte address `addr` of the arena. */
export function stateLockId(addr: number): number {
  return STATE_LOCK_BASE + (addr >>> 2);
}

/**
 * One instance of a declared struct, as this thread sees it: the arena's words, where the
 * instance starts, and typed access to its fields. Hot loops may read `words[base + off.x]`
 * directly; the helpers cost one property load more.
 */
export class StateInstance<F extends FieldSpecs = FieldSpecs> {
  /** The whole arena as words (the same view for every instance of the run). */
  readonly words: Int32Array;
  /** Word index of the instance in `words`. */
  readonly base: number;
  /** Word offsets of the fields (the struct's `off`). */
  readonly off: { readonly [K in FieldName<F>]: number };
  private locks: Record<string, KSpinlock> | null = null;
  /** --kcsan's shadow, or null when the run does not check. */
  private readonly kcsan: KcsanTable | null;
  private queues: Record<string, WaitQueueHead> | null = null;

  constructor(
    readonly machine: Machine,
    readonly struct: Struct<F>,
    /** Byte address of the instance in the arena (a C pointer to it). */
    readonly addr: number,
  ) {
    this.words = machine.arena.words;
    this.kcsan = (machine as { kcsan?: KcsanTable | null }).kcsan ?? null;
    this.base = addr >>> 2;
    this.off = struct.off;
  }

  /** Word index in `words` of field `f` (element `k` of an array field). */
  i(f: FieldName<F>, k = 0): number {
    return this.base + this.off[f] + k;
  }

  /** Byte address of field `f` (element `k`). */
  addrOf(f: FieldName<F>, k = 0): number {
    return (this.base + this.off[f] + k) * 4;
  }

  /**
   * A plain load (data only this CPU writes, or read under the lock that guards it).
   * Under --kcsan a plain access is checked for data races.
   */
  get(f: FieldName<F>, k = 0): number {
    const i = this.base + this.off[f] + k;
    if (this.kcsan !== null) this.checked(i, false, false, f);
    return this.words[i]!;
  }

  /** A plain store. */
  set(f: FieldName<F>, v: number, k = 0): void {
    const i = this.base + this.off[f] + k;
    // A store of the value already there changes nothing a reader can see: KCSAN's default
    // (CONFIG_KCSAN_REPORT_VALUE_CHANGE_ONLY) does not report it either.
    if (this.kcsan !== null && this.words[i] !== v) this.checked(i, true, false, f);
    this.words[i] = v;
  }

  /** Atomics.load (READ_ONCE / atomic_read): a marked access for --kcsan. */
  load(f: FieldName<F>, k = 0): number {
    const i = this.base + this.off[f] + k;
    if (this.kcsan !== null) this.checked(i, false, true, f);
    return Atomics.load(this.words, i);
  }

  /** Atomics.store (WRITE_ONCE / atomic_set; a release store): a marked access. */
  store(f: FieldName<F>, v: number, k = 0): void {
    const i = this.base + this.off[f] + k;
    if (this.kcsan !== null && Atomics.load(this.words, i) !== v) this.checked(i, true, true, f);
    Atomics.store(this.words, i, v);
  }

  /** --kcsan's check of one access by a CPU (engines and devices are hardware). */
  private checked(i: number, write: boolean, marked: boolean, f: string): void {
    const cpu = currentActor().cpu;
    if (cpu === null) return;
    kcsanCheck(this.kcsan!, cpu, i * 4, 4, write, marked, accessor, `${this.struct.name}.${f}`);
  }

  /** Atomics.add (atomic_fetch_add). @returns the old value */
  add(f: FieldName<F>, v: number, k = 0): number {
    return Atomics.add(this.words, this.base + this.off[f] + k, v);
  }

  /** Atomics.sub (atomic_fetch_sub). @returns the old value */
  sub(f: FieldName<F>, v: number, k = 0): number {
    return Atomics.sub(this.words, this.base + this.off[f] + k, v);
  }

  /** Atomics.compareExchange (atomic_cmpxchg). @returns the old value */
  cmpxchg(f: FieldName<F>, expected: number, v: number, k = 0): number {
    return Atomics.compareExchange(this.words, this.base + this.off[f] + k, expected, v);
  }

  /**
   * The spinlock in field `f` (spin_lock_init() was the zeroed arena): its id comes from the
   * word's address, its class from the declaration. One object per field and thread.
   */
  spinlock(f: LockField<F>): KSpinlock {
    return this.lock(f, false);
  }

  /**
   * The mutex in field `f`. A lock field is one word whatever its kind, so a client that
   * picks its lock type at run time (locktorture) may take either view of it.
   */
  mutex(f: LockField<F>): KMutex {
    return this.lock(f, true);
  }

  /** The wait_queue_head_t in field `f`. */
  waitQueue(f: WaitQueueField<F>): WaitQueueHead {
    const q = (this.queues ??= {});
    return (q[f] ??= new WaitQueueHead(this.machine, this.words, this.i(f)));
  }

  private lock(f: LockField<F>, sleeping: boolean): KSpinlock {
    const key = sleeping ? `m:${f}` : `s:${f}`;
    const l = (this.locks ??= {});
    const made = l[key];
    if (made) return made;
    const index = this.i(f);
    const cls = (this.struct.lockClass as Record<string, number>)[f]!;
    const lock = sleeping
      ? new KMutex(this.words, index, stateLockId(index * 4), cls)
      : new KSpinlock(this.words, index, stateLockId(index * 4), cls);
    l[key] = lock;
    return lock;
  }
}

/** The instances of one declared state in a run. */
export class StateView<F extends FieldSpecs = FieldSpecs> {
  /** Instances in the run (CPUs, devices, channels, or the plan's count). */
  readonly count: number;
  private readonly made: (StateInstance<F> | undefined)[];

  constructor(
    readonly machine: Machine,
    readonly decl: StateDecl<F>,
    readonly entry: StateEntry,
  ) {
    this.count = entry.count;
    this.made = new Array<StateInstance<F> | undefined>(entry.count);
  }

  /**
   * Instance `i` (a CPU id, a device index, a global channel index, or 0..count-1).
   * @throws RangeError when `i` is not an instance of the run (a client bug)
   */
  at(i: number): StateInstance<F> {
    const made = this.made[i];
    if (made) return made;
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(
        `shared state '${this.decl.name}' has ${this.count} instances: no instance ${i}`,
      );
    }
    return (this.made[i] = new StateInstance(
      this.machine,
      this.decl.struct,
      this.entry.addr + i * this.entry.stride,
    ));
  }
}

const views = new WeakMap<Machine, Map<string, StateView>>();
// The machine asked about last: a callback on the hot path skips the WeakMap lookup.
let lastMachine: Machine | null = null;
let lastViews: Map<string, StateView> | null = null;

/**
 * The instances of declared state `decl` in `machine`'s run, found where the host laid them
 * out (MachineSpec.state); cached per machine, so a thread builds each view once per run.
 * @throws DmasimError DMASIM_BAD_OPTION when the run's plan did not declare `decl`, or
 *   declared another struct under its name
 */
export function stateOf<F extends FieldSpecs>(machine: Machine, decl: StateDecl<F>): StateView<F> {
  let byName = machine === lastMachine ? lastViews : views.get(machine);
  if (!byName) views.set(machine, (byName = new Map<string, StateView>()));
  lastMachine = machine;
  lastViews = byName;
  const had = byName.get(decl.name);
  if (had && had.decl.struct.sig === decl.struct.sig) return had as unknown as StateView<F>;
  const entry = machine.spec.state.find((e) => e.name === decl.name);
  if (!entry) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `shared state '${decl.name}' is not laid out in this run: list it in the scenario plan's 'state'`,
    );
  }
  if (entry.sig !== decl.struct.sig) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `shared state '${decl.name}' was laid out for another struct than ${decl.struct.name}: ` +
        'two modules declare it differently (or a stale build)',
    );
  }
  const view = new StateView(machine, decl, entry);
  byName.set(decl.name, view);
  return view;
}
