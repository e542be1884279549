import { ACTOR, WaitKind } from '../shm/control-block.js';
import type { Machine } from '../shm/machine.js';
import { lockClassName } from '../kernel/lock-class.js';

/** One CPU blocked on a lock, as the wait-for graph sees it. */
export interface LockWait {
  cpu: number;
  lock: number;
  lockClass: string;
  owner: number;
  sleeping: boolean;
}

/** Every CPU blocked on a lock right now (read from shared memory, no cooperation needed). */
export function lockWaits(machine: Machine): LockWait[] {
  const out: LockWait[] = [];
  machine.spec.actors.forEach((a, i) => {
    if (a.kind !== 'cpu') return;
    const b = machine.actorBase(i);
    const w = machine.actorWords;
    const kind = Atomics.load(w, b + ACTOR.WAIT_KIND);
    if (kind !== WaitKind.SPINLOCK && kind !== WaitKind.MUTEX) return;
    out.push({
      cpu: a.index,
      lock: w[b + ACTOR.WAIT_INDEX]!,
      lockClass: lockClassName(w[b + ACTOR.WAIT_CLASS]!),
      owner: Atomics.load(w, b + ACTOR.WAIT_OWNER),
      sleeping: kind === WaitKind.MUTEX,
    });
  });
  return out;
}

/**
 * A cycle in the wait-for graph (CPU -> the CPU owning the lock it waits on), as the list
 * of waits around it, or null. A CPU waiting on a lock it owns itself is a cycle of one.
 */
export function waitCycle(waits: readonly LockWait[]): LockWait[] | null {
  const byCpu = new Map(waits.map((w) => [w.cpu, w]));
  for (const start of waits) {
    const path: LockWait[] = [];
    const seen = new Set<number>();
    for (let w: LockWait | undefined = start; w; w = byCpu.get(w.owner)) {
      if (seen.has(w.cpu)) {
        const from = path.findIndex((p) => p.cpu === w.cpu);
        return path.slice(from);
      }
      seen.add(w.cpu);
      path.push(w);
    }
  }
  return null;
}

/** A stable key of a cycle, to see the same one on two checks in a row. */
export function cycleKey(cycle: readonly LockWait[]): string {
  return cycle
    .map((w) => `${w.cpu}:${w.lock}:${w.owner}`)
    .sort()
    .join(',');
}

/** The report's head: who waits on what, around the cycle. */
export function describeCycle(cycle: readonly LockWait[]): string {
  return cycle
    .map(
      (w) =>
        `  cpu${w.cpu} ${w.sleeping ? 'sleeps on' : 'spins on'} ${w.lockClass} (lock ${w.lock}), held by cpu${w.owner}` +
        (w.owner === w.cpu ? ' itself' : ''),
    )
    .join('\n');
}
