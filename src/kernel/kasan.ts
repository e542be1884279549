import { currentActor } from './current.js';
import { ReportType, emitReport, onceAt, whoLine } from './report/report.js';
import { objectLines } from './slab.js';
import { Shadow, SHADOW_GRANULE } from '../shm/shadow.js';
import type { KasanReport } from '../shm/slab.js';
import { CPU_CONTEXT_NAMES } from '../shm/cpu-struct.js';

const RULE = '==================================================================';
const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** The violation kind of a KASAN bug type (use-after-free is what scripts match on). */
function violationKind(r: KasanReport): string {
  return r.kind;
}

/**
 * Reports a bad access as KASAN prints it, once per object and function (KASAN prints only
 * its first report unless kasan_multi_shot; here the first of each object and site), and
 * records it as a violation of kind `use-after-free` (or the other KASAN bug type found):
 *
 *   BUG: KASAN: slab-use-after-free in vchan_complete
 *   Read of size 4 at addr 0x... by cpu1 (softirq)
 *   CPU: ... / Allocated by ... / Freed by ... / The buggy address belongs to ...
 *
 * @param fn the function that made the access (the kernel's symbolised PC)
 * @param cache the object's cache when it is not a kmalloc one (e.g. a descriptor pool)
 * @returns whether this call printed (false: already reported)
 */
export function kasanReport(r: KasanReport, fn: string, cache?: string): boolean {
  const key = `kasan:${fn}:${r.object ? r.object.addr : r.addr}`;
  if (!onceAt(key)) return false;
  const actor = currentActor();
  const ctx = actor.cpu ? ` (${CPU_CONTEXT_NAMES[actor.cpu.context()]})` : '';
  const bug = r.kind === 'use-after-free' && r.object ? 'slab-use-after-free' : r.kind;
  const lines = [
    RULE,
    `BUG: KASAN: ${bug} in ${fn}`,
    `${r.access.write ? 'Write' : 'Read'} of size ${r.access.size} at addr ${hex(r.addr)} by ${actor.name}${ctx}`,
    '',
    whoLine(),
  ];
  // objectLines(): the Allocated and Freed records, then where the address lies.
  if (r.object) lines.push('', ...objectLines(r.addr, r.object, cache));
  lines.push(RULE);
  const o = r.object;
  emitReport(ReportType.USER, lines, {
    kind: violationKind(r),
    message:
      `${actor.name}: KASAN: ${bug} in ${fn}: ${r.access.write ? 'write' : 'read'} of ` +
      `${r.access.size} bytes at ${hex(r.addr)}` +
      (o?.free ? ` (freed by actor ${o.free.actor} at ${o.free.time.toFixed(3)} ms)` : ''),
    where: fn,
    fields: {
      access: r.access.write ? 'write' : 'read',
      addr: r.addr,
      size: r.access.size,
      fn,
      ...(o ? { object: o.addr, objectSize: o.size } : {}),
      ...(o?.free ? { freedBy: o.free.actor, freedAt: o.free.time } : {}),
      ...(o ? { allocatedBy: o.alloc.actor } : {}),
    },
  });
  return true;
}

/**
 * kasan_check_read()/kasan_check_write() with the report: a CPU's access to kmalloc memory
 * (driver state a callback touches, a buffer it reads).
 * @returns whether the access was valid
 */
export function kasanAccess(addr: number, size: number, write: boolean, fn: string): boolean {
  const r = currentActor().machine.slab.check(addr, size, write);
  if (r === null) return true;
  kasanReport(r, fn);
  return false;
}

/** Granules kasanCheckDma() scans with a plain loop rather than a native indexOf. */
const SHORT_SCAN = 32;

/**
 * A DMA engine's access to `[addr, addr + len)`: only freed kmalloc memory is reported
 * (buffers the run carved out of the arena without kmalloc have no shadow to check). One
 * native scan of the shadow, so the cost on a 64-byte copy is a few shadow bytes.
 * @returns whether the range touches no freed object
 */
export function kasanCheckDma(addr: number, len: number, write: boolean, fn: string): boolean {
  if (len <= 0) return true;
  const slab = currentActor().machine.slab;
  // kfree() counts under the slab lock before it poisons: a free this load misses is one
  // racing with the access, a bug either way (as in Slab.check()).
  if (!slab.anyFreed()) return true;
  const shadow = slab.arena.shadow;
  const first = Math.floor(addr / SHADOW_GRANULE);
  const end = Math.min(shadow.length, Math.ceil((addr + len) / SHADOW_GRANULE));
  // A short range (a 64-byte copy is 8 granules) is scanned in place: a subarray view
  // costs an allocation per call, which the engine's hot path would pay twice per segment.
  let g = -1;
  if (end - first <= SHORT_SCAN) {
    for (let i = first; i < end; i++) {
      if (shadow[i] === Shadow.FREED) {
        g = i - first;
        break;
      }
    }
  } else {
    g = shadow.subarray(first, end).indexOf(Shadow.FREED);
  }
  if (g < 0) return true;
  const bad = Math.max(addr, (first + g) * SHADOW_GRANULE);
  kasanReport(
    {
      kind: 'use-after-free',
      addr: bad,
      access: { addr, size: len, write },
      object: slab.objectOf(bad),
    },
    fn,
  );
  return false;
}
