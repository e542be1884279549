import { currentActor, thisCpu } from '../current.js';
import type { KSpinlock } from '../spinlock.js';
import { lockClassName } from '../lock-class.js';
import { CPU, MAX_HELD_LOCKS } from '../../shm/cpu-struct.js';
import { ReportType, emitReport, warningBlock } from './report.js';
import { callSite, type CallSite } from './site.js';

/**
 * lockdep_is_held(lock): `lock` (a KSpinlock or a KMutex) is on this CPU's held-lock
 * stack. Interrupt contexts push on the stack of the CPU they interrupt, as lockdep's
 * held_locks of the interrupted task, so a lock process context holds counts as held in
 * an interrupt on the same CPU. Past MAX_HELD_LOCKS the stack is not recorded: held.
 */
export function lockdep_is_held(lock: KSpinlock): boolean {
  const cpu = thisCpu();
  const w = cpu.w;
  const b = cpu.base;
  const depth = w[b + CPU.HELD_COUNT]!;
  if (depth > MAX_HELD_LOCKS) return true;
  for (let k = 0; k < depth; k++) if (w[b + CPU.HELD + k] === lock.id) return true;
  return false;
}

/**
 * lockdep_assert_held(lock): `WARN_ON(debug_locks && !lockdep_is_held(lock))`. The held
 * stack is kept in every run, so debug_locks is always 1 (the kernel turns it off after
 * lockdep's first report; here lockdep runs on the host). A failure prints the WARNING
 * block and records a `lockdep-assert` violation (`lock`: the lock's class).
 */
export function lockdep_assert_held(lock: KSpinlock): void {
  if (lockdep_is_held(lock)) return;
  lockdepAssertFailed(lock, callSite(lockdep_assert_held));
}

/** The report of a failed lockdep_assert_held() made at `site` (a C driver's file:line). */
export function lockdepAssertFailed(lock: KSpinlock, site: Pick<CallSite, 'where' | 'fn'>): void {
  const actor = currentActor().name;
  const cls = lockClassName(lock.classId);
  emitReport(ReportType.LOCKDEP_ASSERT, warningBlock(site), {
    kind: 'lockdep-assert',
    message: `${actor}: lockdep_assert_held(${cls}) at ${site.where} ${site.fn}: not held by ${actor}`,
    where: site.where,
    fields: { lock: cls },
  });
}
