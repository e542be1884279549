import { currentActor, printk } from './current.js';
import { mightSleep } from './might-sleep.js';
import { CPU_CONTEXT_NAMES } from '../shm/cpu-struct.js';
import type { KasanReport, SlabFault, SlabObject, SlabRecord, SlabWho } from '../shm/slab.js';

/**
 * GFP flags kmalloc() takes. GFP_KERNEL may sleep (might_sleep on a CPU); GFP_ATOMIC and
 * GFP_NOWAIT do not; __GFP_ZERO zeroes. Nothing here really sleeps: reclaim is not simulated.
 */
export const Gfp = {
  GFP_KERNEL: 0,
  GFP_ATOMIC: 1,
  GFP_NOWAIT: 2,
  __GFP_ZERO: 0x100,
} as const;

/** The running actor as the slab records it: its index, context (3: an engine) and run time. */
function who(): SlabWho {
  const ctx = currentActor();
  return {
    actor: ctx.index,
    context: ctx.cpu ? ctx.cpu.context() : 3,
    time: ctx.clock.now(),
  };
}

/**
 * kmalloc(size, gfp): `size` bytes of the arena, 64-byte aligned, from any thread.
 * @returns the address, ZERO_SIZE_PTR (16) for size 0, or 0 (NULL) when the size is above
 *   KMALLOC_MAX_SIZE or the arena is exhausted; never throws
 */
export function kmalloc(size: number, gfp: number = Gfp.GFP_KERNEL): number {
  // gfpflags_allow_blocking(): GFP_KERNEL may sleep, so atomic context must not use it.
  if ((gfp & (Gfp.GFP_ATOMIC | Gfp.GFP_NOWAIT)) === 0 && currentActor().cpu) mightSleep('kmalloc');
  return currentActor().machine.slab.alloc(size, (gfp & Gfp.__GFP_ZERO) !== 0, who());
}

/** kzalloc(size, gfp): kmalloc() of zeroed bytes. */
export function kzalloc(size: number, gfp: number = Gfp.GFP_KERNEL): number {
  return kmalloc(size, gfp | Gfp.__GFP_ZERO);
}

/**
 * kfree(addr): frees a kmalloc() object; NULL and ZERO_SIZE_PTR are no-ops. A double free
 * or a free of something kmalloc() never returned is the kernel's KASAN "double-free" or
 * "invalid-free" report: printed to the actor's log and returned, never thrown.
 * @returns null, or the fault (a caller may turn it into a violation)
 */
export function kfree(addr: number): SlabFault | null {
  const machine = currentActor().machine;
  // --kcsan: the object's words start afresh for their next owner (a freed object's old
  // accesses are no race with the new ones).
  const k = machine.kcsan ?? null;
  const o = k !== null && addr !== 0 ? machine.slab.objectOf(addr) : null;
  const fault = machine.slab.free(addr, who());
  if (fault) for (const line of formatKasanFault(fault)) printk(line);
  else if (o !== null && o.addr === addr) k!.forget(addr, o.size);
  return fault;
}

/**
 * kasan_check_read() / kasan_check_write(): whether `size` bytes at `addr` may be accessed,
 * and if not what the first bad byte hit (a freed object with its alloc and free records, a
 * redzone, memory never allocated, the NULL page). Prints nothing: see formatKasanReport().
 * @returns null for a valid access
 */
export function kasanCheck(addr: number, size: number, write: boolean): KasanReport | null {
  return currentActor().machine.slab.check(addr, size, write);
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

function contextName(context: number): string {
  return CPU_CONTEXT_NAMES[context] ?? (context === 3 ? 'hardware' : 'host');
}

/** `Allocated by actor 0 (process) at 1.234 ms (#5)`: one alloc or free record. */
export function recordLines(what: string, r: SlabRecord): string[] {
  return [
    `${what} by actor ${r.actor} (${contextName(r.context)}) at ${r.time.toFixed(3)} ms (#${r.seq})`,
  ];
}

/**
 * The kernel's kmalloc cache for an object of `size` bytes (kmalloc_index(): 8, 16, 32, 64,
 * 96, 128, 192, then powers of two), which a report names; dmasim's own chunk is larger (it
 * holds the header and a redzone).
 */
export function kmallocCacheSize(size: number): number {
  if (size <= 8) return 8;
  if (size > 64 && size <= 96) return 96;
  if (size > 128 && size <= 192) return 192;
  let c = 16;
  while (c < size) c *= 2;
  return c;
}

/** Where the buggy address lies in its object (`cache` names a cache that is not kmalloc's). */
export function objectLines(addr: number, o: SlabObject, cache?: string): string[] {
  const lines = recordLines('Allocated', o.alloc);
  if (o.free) lines.push(...recordLines('Freed', o.free));
  const rel =
    addr < o.addr
      ? `${o.addr - addr} bytes to the left of`
      : addr >= o.addr + o.size
        ? `${addr - o.addr - o.size} bytes to the right of`
        : `${addr - o.addr} bytes inside of`;
  lines.push(
    `The buggy address belongs to the object at ${hex(o.addr)} which belongs to the cache ${cache ?? `kmalloc-${kmallocCacheSize(o.size)}`}`,
    `The buggy address is located ${rel} ${o.state === 'allocated' ? 'allocated' : 'freed'} ` +
      `${o.size}-byte region [${hex(o.addr)}, ${hex(o.addr + o.size)})`,
  );
  return lines;
}

/** A KASAN report as the kernel prints it (BUG line, access, alloc/free records, object). */
export function formatKasanReport(r: KasanReport): string[] {
  const lines = [
    `BUG: KASAN: ${r.kind} at addr ${hex(r.addr)}`,
    `${r.access.write ? 'Write' : 'Read'} of size ${r.access.size} at addr ${hex(r.access.addr)}`,
  ];
  if (r.object) lines.push(...objectLines(r.addr, r.object));
  return lines;
}

/** A kfree() fault as the kernel prints it ("BUG: KASAN: double-free ..."). */
export function formatKasanFault(f: SlabFault): string[] {
  const lines = [`BUG: KASAN: ${f.kind} in kfree at addr ${hex(f.addr)}`];
  if (f.object) lines.push(...objectLines(f.addr, f.object));
  return lines;
}
