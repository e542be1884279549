import { CPU } from '../../shm/cpu-struct.js';
import type { Cpu } from '../cpu.js';
import { ENTRY, Phase, packAccess, unpackAccess, type KcsanTable } from '../../shm/kcsan-table.js';
import { reportDataRace } from './report.js';

/** Per thread: lock id -> its slot bit (the table's mapping, cached). */
const bits = new Map<number, number>();
let bitsOf: KcsanTable | null = null;

/** The lockset of the locks `cpu` holds now. */
function heldMask(table: KcsanTable, cpu: Cpu): number {
  if (bitsOf !== table) {
    bits.clear();
    bitsOf = table;
  }
  const cw = cpu.w;
  const b = cpu.base;
  const depth = cw[b + CPU.HELD_COUNT]!;
  let mask = 0;
  for (let k = 0; k < depth; k++) {
    const id = cw[b + CPU.HELD + k]!;
    let bit = bits.get(id);
    if (bit === undefined) {
      bit = table.lockBit(id);
      bits.set(id, bit);
    }
    mask |= bit;
  }
  return mask;
}

/**
 * Whether two accesses to the same word form a reportable data race, as KCSAN's default
 * configuration decides: two plain accesses do; a plain read racing with a marked write
 * does (the read may be torn or fused); a plain aligned write racing with a marked access
 * does not (CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC); two marked accesses never do.
 */
function reportable(
  meMarked: boolean,
  meWrite: boolean,
  otherMarked: boolean,
  otherWrite: boolean,
): boolean {
  if (!meMarked && !otherMarked) return true;
  if (meMarked && otherMarked) return false;
  return meMarked ? meWrite && !otherWrite : otherWrite && !meWrite;
}

/** Where the access was made, named lazily: only when it is kept for a report. */
export type NameAccess = () => string;

/**
 * One access to shared driver state, checked Eraser's way: a word one CPU touches is
 * exclusive to it (initialisation); once a second CPU touches it, its candidate lockset is
 * the locks held at every access since, and a write makes it shared-modified. A
 * shared-modified word whose lockset is empty is a data race: accesses from two CPUs, one
 * a write, with no lock in common. Reported once per word.
 * @param what names the memory (a struct field), or '' for a plain address
 */
export function kcsanCheck(
  table: KcsanTable,
  cpu: Cpu,
  addr: number,
  size: number,
  write: boolean,
  marked: boolean,
  name: NameAccess,
  what: string,
): void {
  const w = table.w;
  const last = addr + (size > 0 ? size : 1) - 1;
  for (let a = addr & ~3; a <= last; a += 4) {
    const e = table.entry(a);
    if (e < 0) return;
    const me = cpu.id + 1;
    const st = Atomics.load(w, e + ENTRY.STATE);
    const phase = st & 15;
    if (phase === Phase.REPORTED) continue;
    const irq = cpu.inInterrupt();
    const access = packAccess(cpu.id, irq, marked, size);
    const slot = write ? ENTRY.WRITE : ENTRY.READ;
    if (phase === 0) {
      Atomics.compareExchange(w, e + ENTRY.STATE, 0, Phase.EXCLUSIVE | (me << 8));
      keep(table, e, slot, access, name);
      continue;
    }
    if (phase === Phase.EXCLUSIVE && st >>> 8 === me) {
      keep(table, e, slot, access, name);
      continue;
    }
    const held = heldMask(table, cpu);
    let next: number = phase;
    let lockset: number;
    if (phase === Phase.EXCLUSIVE) {
      next = write ? Phase.SHARED_MODIFIED : Phase.SHARED;
      Atomics.store(w, e + ENTRY.LOCKSET, held);
      lockset = held;
      Atomics.compareExchange(w, e + ENTRY.STATE, st, next);
    } else {
      lockset = Atomics.and(w, e + ENTRY.LOCKSET, held) & held;
      if (write && phase === Phase.SHARED) {
        next = Phase.SHARED_MODIFIED;
        Atomics.compareExchange(w, e + ENTRY.STATE, st, next);
      }
    }
    if (next === Phase.SHARED_MODIFIED && lockset === 0) {
      const other = otherAccess(w, e, me, write);
      if (other && reportable(marked, write, other.marked, other.write)) {
        const now = Atomics.load(w, e + ENTRY.STATE);
        if (
          (now & 15) !== Phase.REPORTED &&
          Atomics.compareExchange(w, e + ENTRY.STATE, now, Phase.REPORTED) === now
        ) {
          reportDataRace(cpu, { addr: a, size, write, marked, irq, fn: name() }, other, what);
        }
        continue;
      }
    }
    keep(table, e, slot, access, name);
  }
}

/** Records an access in its slot; the function is looked up only when the slot changes hands. */
function keep(table: KcsanTable, e: number, slot: number, access: number, name: NameAccess): void {
  const w = table.w;
  if (Atomics.load(w, e + slot) === access) return;
  Atomics.store(w, e + slot, access);
  Atomics.store(w, e + slot + 1, table.strings.intern(name()));
}

/** The other side: the last write by another CPU, or for a write the last read by one. */
function otherAccess(
  w: Int32Array,
  e: number,
  me: number,
  write: boolean,
): (ReturnType<typeof unpackAccess> & { write: boolean; fnId: number }) | null {
  const lw = unpackAccess(Atomics.load(w, e + ENTRY.WRITE));
  if (lw && lw.cpu + 1 !== me)
    return { ...lw, write: true, fnId: Atomics.load(w, e + ENTRY.WRITE_FN) };
  if (!write) return null;
  const lr = unpackAccess(Atomics.load(w, e + ENTRY.READ));
  if (lr && lr.cpu + 1 !== me)
    return { ...lr, write: false, fnId: Atomics.load(w, e + ENTRY.READ_FN) };
  return null;
}
