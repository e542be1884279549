/**
 * Per-thread tables of interrupt handlers and tasklet functions, keyed by line and by
 * tasklet number (the IRQ and TASKLET tables of irq-struct.ts, which hold the shared words
 * saying what is pending). Code is shared, so every thread registers the same functions.
 */
export type IrqHandler = (line: number) => void;
export type TaskletFn = (tasklet: number) => void;

/** The softirq vector tasklets run from (the kernel's enum, softirq_to_name[]). */
export const TASKLET_SOFTIRQ = 6;
/** softirq_to_name[] of the vectors dmasim runs. */
export const SOFTIRQ_NAMES: Readonly<Record<number, string>> = { [TASKLET_SOFTIRQ]: 'TASKLET' };

const irqHandlers: (IrqHandler | undefined)[] = [];
const taskletFns: (TaskletFn | undefined)[] = [];

/** request_irq(): installs the handler of `line`. */
export function requestIrq(line: number, handler: IrqHandler): void {
  irqHandlers[line] = handler;
}

/** tasklet_setup(): installs the function of tasklet `tasklet`. */
export function taskletSetup(tasklet: number, fn: TaskletFn): void {
  taskletFns[tasklet] = fn;
}

/** The handler of `line`, if any. */
export function irqHandler(line: number): IrqHandler | undefined {
  return irqHandlers[line];
}

/** The function of tasklet `tasklet`, if any. */
export function taskletFn(tasklet: number): TaskletFn | undefined {
  return taskletFns[tasklet];
}

/** Forgets every handler (between runs on a reused thread). */
export function resetInterrupts(): void {
  irqHandlers.length = 0;
  taskletFns.length = 0;
}
