import { currentActor, printk } from '../current.js';
import type { Cpu } from '../cpu.js';
import { CPU, CpuContext } from '../../shm/cpu-struct.js';
import { CUT_HERE, END_TRACE, ReportType, emitReport, whoLine } from './report.js';
import { callSite, type CallSite } from './site.js';

/**
 * Thrown by BUG(): unwinds the CPU's program as the oops kills the running task. The actor
 * runtime catches it, cleans the CPU up as make_task_dead() does and lets the CPU go on
 * serving interrupts, so the run still ends. Not an error of the simulator.
 */
export class KernelBug extends Error {
  override readonly name = 'KernelBug';
  constructor(readonly where: string) {
    super(`kernel BUG at ${where}!`);
  }
}

/**
 * BUG(): prints `kernel BUG at file:line!` and the oops, records a `bug` violation and
 * ends the CPU's program (the kernel kills the task; in interrupt context it panics, which
 * dmasim does not: the program the interrupt came in on is ended instead, and the CPU goes
 * on serving interrupts).
 * @throws KernelBug, always: the code after BUG() never runs
 */
export function BUG(): never {
  return bug(callSite(BUG));
}

/**
 * BUG_ON(condition): BUG() when `condition` is truthy.
 * @throws KernelBug when it is
 */
export function BUG_ON(condition: unknown): void {
  if (condition) bug(callSite(BUG_ON));
}

/** BUG() at `site` (a C driver's file:line and function). */
export function bug(site: Pick<CallSite, 'where' | 'fn'>): never {
  const actor = currentActor();
  const inIrq = actor.cpu !== null && actor.cpu.inInterrupt();
  const lines = [
    CUT_HERE,
    `kernel BUG at ${site.where}!`,
    'Oops: invalid opcode: 0000 [#1] SMP',
    whoLine(),
    `RIP: ${site.fn}`,
    END_TRACE,
    ...(inIrq
      ? ['Fatal exception in interrupt (dmasim ends the interrupted program, no panic)']
      : []),
  ];
  emitReport(ReportType.BUG, lines, {
    kind: 'bug',
    message: `${actor.name}: kernel BUG at ${site.where} ${site.fn}`,
    where: site.where,
  });
  throw new KernelBug(site.where);
}

/**
 * make_task_dead() after an oops: the dead task's interrupt and preemption state is reset
 * ("note: ... exited with irqs disabled" / "with preempt_count N"), so that the CPU takes
 * interrupts again. Locks it held stay held, as in the kernel.
 */
export function makeTaskDead(cpu: Cpu): void {
  const w = cpu.w;
  const b = cpu.base;
  const name = currentActor().name;
  w[b + CPU.CONTEXT] = CpuContext.PROCESS;
  if (w[b + CPU.IRQ_DISABLED] !== 0) {
    printk(`note: ${name}[0] exited with irqs disabled`);
    w[b + CPU.IRQ_DISABLED] = 0;
  }
  const count = w[b + CPU.PREEMPT_COUNT]! + w[b + CPU.BH_DISABLED]!;
  if (count !== 0) {
    printk(`note: ${name}[0] exited with preempt_count ${count}`);
    w[b + CPU.PREEMPT_COUNT] = 0;
    w[b + CPU.BH_DISABLED] = 0;
  }
}
