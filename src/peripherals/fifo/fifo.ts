import { engineRunning, hardwareDelayUntil } from '../../platform/engine-idle.js';
import type { PeripheralEnv } from '../../platform/peripheral.js';
import { raiseIrq } from '../../kernel/cpu.js';
import { Point } from '../../sched/labels.js';
import { WaitFlag, WaitOp } from '../../sched/wait-spec.js';
import { FIFO_REGS, FifoCtrl, FifoStatus, fifoStreamByte } from './regs.js';

/** Options of a FIFO device (see fifoPeripheral). */
export interface FifoOptions {
  direction: 'rx' | 'tx';
  /** Bytes per ms of run clock the device produces or consumes. */
  rate: number;
  depth: number;
  watermark: number;
  /** Bytes it moves per period (one period is chunk / rate ms). */
  chunk: number;
  /** Bytes after which it stops and raises DONE (0: until the run ends). */
  total: number;
}

/**
 * A device's period is a few us: spinning through it would take a core from the engine
 * that must drain (or fill) the FIFO in time. It sleeps instead; a late wake pushes the
 * chunks it owes at once, which the FIFO's slack absorbs.
 */
const DEVICE_SPIN_MS = 0.05;

/**
 * The device's life: waits until its driver sets CTRL.EN, then every period produces (rx)
 * or consumes (tx) a chunk of its stream through its FIFO at its rate on the run clock. An
 * rx chunk that does not fit is lost (OVERRUN); a tx period with too little data consumes
 * what is there (UNDERRUN). Unmasked status bits raise its interrupt line.
 */
export function runFifo(env: PeripheralEnv): void {
  const { machine, sched, spec, view, port } = env;
  if (!port) throw new Error(`${spec.name}: a FIFO device without its port`);
  const o = spec.options as unknown as FifoOptions;
  const w = machine.arena.words;
  const r = spec.regs;
  const control = machine.control;
  const controlled = machine.spec.sched.mode === 'controlled';
  const bytes = machine.arena.bytes;
  const rx = o.direction === 'rx';
  // Enabled by its driver: CTRL is data, so the wait needs no wake (POLLED in free runs).
  while (engineRunning(control) && (Atomics.load(w, r + FIFO_REGS.CTRL) & FifoCtrl.EN) === 0) {
    const seen = sched.prepareWait();
    try {
      if ((Atomics.load(w, r + FIFO_REGS.CTRL) & FifoCtrl.EN) !== 0 || !engineRunning(control))
        break;
      sched.block(
        Point['engine.idle'],
        WaitFlag.POLLED,
        Infinity,
        seen,
        machine.waitBuffers.indexOf(w),
        r + FIFO_REGS.CTRL,
        WaitOp.NE,
        0,
      );
    } finally {
      sched.finishWait();
    }
  }
  const start = sched.clock.now();
  let moved = 0;
  // rx: stream bytes lost to overruns; the FIFO's byte k is the stream's byte k + lost.
  let lost = 0;
  const streamByte = (k: number): number => fifoStreamByte(k + lost);
  const raise = (bit: number): void => {
    Atomics.or(w, r + FIFO_REGS.STATUS, bit);
    // CTRL.IRQ_* sit one bit above the STATUS bit they unmask.
    if ((Atomics.load(w, r + FIFO_REGS.CTRL) & (bit << 1)) !== 0) raiseIrq(view, spec.firstIrq);
  };
  while (engineRunning(control) && (o.total === 0 || moved < o.total)) {
    const n = o.total === 0 ? o.chunk : Math.min(o.chunk, o.total - moved);
    hardwareDelayUntil(
      sched,
      control,
      controlled,
      start + (moved + n) / o.rate,
      Point['engine.delay'],
      DEVICE_SPIN_MS,
    );
    if (!engineRunning(control)) break;
    if (rx) {
      if (port.room() < n) {
        // The stream goes on without the FIFO: the bytes are lost, the next ones shift.
        Atomics.add(w, r + FIFO_REGS.OVERRUNS, n);
        lost += n;
        raise(FifoStatus.OVERRUN);
      } else {
        port.pushMade(n, bytes, streamByte);
      }
      moved += n;
    } else {
      const have = Math.min(n, port.level());
      if (have < n) {
        Atomics.add(w, r + FIFO_REGS.UNDERRUNS, 1);
        raise(FifoStatus.UNDERRUN);
      }
      let wrong = 0;
      port.popEach(have, bytes, (b, k) => {
        if (b !== fifoStreamByte(k)) wrong++;
      });
      if (wrong > 0) Atomics.add(w, r + FIFO_REGS.MISMATCHES, wrong);
      moved += have;
    }
    Atomics.store(w, r + FIFO_REGS.COUNT, moved);
  }
  if (o.total > 0 && moved >= o.total) raise(FifoStatus.DONE);
}
