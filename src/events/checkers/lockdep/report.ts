import { lockClassName } from '../../../kernel/lock-class.js';
import { usageBraces } from './usage.js';

/** One held or wanted lock, as a report names it. */
export interface LockRef {
  lock: number;
  lockClass: number;
  /** Lock kind (0..2 spinlocks, 3 mutex). */
  lockKind: number;
  /** The class's usage bits when the report is made. */
  usage: number;
}

/** `ffff888000000a04 (&chan->lock){+.-.}-{2:2}` */
export function lockLine(ref: LockRef): string {
  const addr = `ffff8880${(ref.lock >>> 0).toString(16).padStart(8, '0')}`;
  const wait = ref.lockKind === 3 ? '{3:3}' : '{2:2}';
  return `${addr} (${lockClassName(ref.lockClass)})${usageBraces(ref.usage)}-${wait}`;
}

/** The `N locks held by task:` block. */
export function heldBlock(task: string, held: readonly LockRef[]): string {
  if (held.length === 0) return `no locks held by ${task}.`;
  const lines = held.map((h, i) => ` #${i}: ${lockLine(h)}`);
  return `${held.length} lock${held.length === 1 ? '' : 's'} held by ${task}:\n${lines.join('\n')}`;
}

const RULE = (c: string, n: number): string => c.repeat(n);

/** print_deadlock_bug(): `WARNING: possible recursive locking detected`. */
export function recursiveReport(
  task: string,
  want: LockRef,
  holding: LockRef,
  held: readonly LockRef[],
): string {
  const name = lockClassName(want.lockClass);
  return [
    RULE('=', 44),
    'WARNING: possible recursive locking detected',
    RULE('-', 44),
    `${task} is trying to acquire lock:`,
    lockLine(want),
    '',
    'but task is already holding lock:',
    lockLine(holding),
    '',
    'other info that might help us debug this:',
    ' Possible unsafe locking scenario:',
    '',
    '       CPU0',
    '       ----',
    `  lock(${name});`,
    `  lock(${name});`,
    '',
    ' *** DEADLOCK ***',
    '',
    ' May be due to missing lock nesting notation',
    '',
    heldBlock(task, held),
  ].join('\n');
}

/** print_usage_bug(): `WARNING: inconsistent lock state`. */
export function inconsistentReport(
  task: string,
  ctx: { hardirq: number; softirq: number; hardirqsOn: boolean; softirqsOn: boolean },
  lock: LockRef,
  from: string,
  to: string,
  registeredBy: string,
  held: readonly LockRef[],
): string {
  const name = lockClassName(lock.lockClass);
  return [
    RULE('=', 32),
    'WARNING: inconsistent lock state',
    RULE('-', 32),
    `inconsistent {${from}} -> {${to}} usage.`,
    `${task} [HC${ctx.hardirq}[${ctx.hardirq}]:SC${ctx.softirq}[${ctx.softirq}]:HE${ctx.hardirqsOn ? 1 : 0}:SE${ctx.softirqsOn ? 1 : 0}] takes:`,
    lockLine(lock),
    `{${from}} state was registered at:`,
    `  ${registeredBy}`,
    '',
    'other info that might help us debug this:',
    ' Possible unsafe locking scenario:',
    '',
    '       CPU0',
    '       ----',
    `  lock(${name});`,
    '  <Interrupt>',
    `    lock(${name});`,
    '',
    ' *** DEADLOCK ***',
    '',
    heldBlock(task, held),
  ].join('\n');
}

/** print_circular_bug(): `WARNING: possible circular locking dependency detected`. */
export function circularReport(
  task: string,
  want: LockRef,
  holding: LockRef,
  chain: readonly string[],
  held: readonly LockRef[],
): string {
  const a = lockClassName(holding.lockClass);
  const b = lockClassName(want.lockClass);
  return [
    RULE('=', 54),
    'WARNING: possible circular locking dependency detected',
    RULE('-', 54),
    `${task} is trying to acquire lock:`,
    lockLine(want),
    '',
    'but task is already holding lock:',
    lockLine(holding),
    '',
    'which lock already depends on the new lock.',
    '',
    '',
    'the existing dependency chain (in reverse order) is:',
    '',
    ...chain.map((c, i) => `-> #${chain.length - 1 - i} (${c}):`),
    '',
    'other info that might help us debug this:',
    '',
    ' Possible unsafe locking scenario:',
    '',
    '       CPU0                    CPU1',
    '       ----                    ----',
    `  lock(${a});`,
    `                               lock(${b});`,
    `                               lock(${a});`,
    `  lock(${b});`,
    '',
    ' *** DEADLOCK ***',
    '',
    heldBlock(task, held),
  ].join('\n');
}

/** __might_resched(): `BUG: sleeping function called from invalid context`. */
export function sleepReport(
  task: string,
  what: string,
  state: { inAtomic: boolean; irqsDisabled: boolean; preemptCount: number },
  held: readonly LockRef[],
): string {
  return [
    `BUG: sleeping function called from invalid context at ${what}`,
    `in_atomic(): ${state.inAtomic ? 1 : 0}, irqs_disabled(): ${state.irqsDisabled ? 1 : 0}, non_block: 0, name: ${task}`,
    `preempt_count: ${state.preemptCount}, expected: 0`,
    heldBlock(task, held),
  ].join('\n');
}
