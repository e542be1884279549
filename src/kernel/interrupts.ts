/**
 * Per-thread tables of interrupt handlers and tasklet functions, keyed by channel index
 * (one irq line and one tasklet per channel). Code is shared, so every thread registers the
 * same functions; the shared words saying what is pending live in the channel struct.
 */
export type IrqHandler = (line: number) => void;
export type TaskletFn = (chan: number) => void;

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

/** tasklet_setup(): installs the function of channel `chan`'s tasklet. */
export function taskletSetup(chan: number, fn: TaskletFn): void {
  taskletFns[chan] = fn;
}

/** The handler of `line`, if any. */
export function irqHandler(line: number): IrqHandler | undefined {
  return irqHandlers[line];
}

/** The tasklet function of `chan`, if any. */
export function taskletFn(chan: number): TaskletFn | undefined {
  return taskletFns[chan];
}

/** Forgets every handler (between runs on a reused thread). */
export function resetInterrupts(): void {
  irqHandlers.length = 0;
  taskletFns.length = 0;
}
