import { engineIdle, engineRunning, hardwareDelayUntil } from '../../platform/engine-idle.js';
import type { PeripheralEnv } from '../../platform/peripheral.js';
import { Point } from '../../sched/labels.js';
import { QCE_REGS, qceBusy, qceDigestByte, qceDigestFinal, qceDigestInit } from './regs.js';

/** Options of a crypto engine (see qcePeripheral). */
export interface QceOptions {
  /** Bytes per ms of run clock it processes (0: as fast as the host). */
  rate: number;
  /** Bytes of its input FIFO (a power of two). */
  depth: number;
  watermark: number;
  /** Bytes it takes from its FIFO per step. */
  chunk: number;
}

/**
 * The crypto engine's life: waits for GO, then takes the job's bytes from its input FIFO
 * as the BAM forwards them, a chunk at a time at its rate, folding each into the job's
 * digest. At the end the digest (finished with the KEY register as it is then: a key
 * rewritten while BUSY shows) goes to RESULT, BUSY clears, and only then are the last
 * bytes counted done, so a NWD wait ends after RESULT holds the job's value.
 */
export function runQce(env: PeripheralEnv): void {
  const { machine, sched, spec, port } = env;
  if (!port) throw new Error(`${spec.name}: a crypto engine without its input FIFO`);
  const o = spec.options as unknown as QceOptions;
  const w = machine.arena.words;
  const r = spec.regs;
  const control = machine.control;
  const controlled = machine.spec.sched.mode === 'controlled';
  const bytes = machine.arena.bytes;
  const busy = (): boolean => qceBusy(w, r);
  while (engineRunning(control)) {
    if (!busy()) {
      engineIdle(sched, control, busy, Point['engine.idle']);
      continue;
    }
    // The next queued job starts with the registers as they are now.
    const len = Atomics.load(w, r + QCE_REGS.SEG_SIZE);
    const key = Atomics.load(w, r + QCE_REGS.KEY);
    Atomics.store(w, r + QCE_REGS.JOB_KEY, key);
    Atomics.store(w, r + QCE_REGS.JOB_LEN, len);
    Atomics.store(w, r + QCE_REGS.JOB_DONE, 0);
    let h = qceDigestInit(key);
    let done = 0;
    while (done < len && engineRunning(control)) {
      if (port.level() === 0) {
        port.setWaiter(env.actor, false);
        engineIdle(sched, control, () => port.level() > 0, Point['engine.idle']);
        port.clearWaiter(false);
        continue;
      }
      const n = Math.min(port.level(), len - done, o.chunk);
      sched.point(Point['engine.burst']);
      port.popEach(n, bytes, (b) => {
        h = qceDigestByte(h, b);
      });
      if (o.rate > 0) {
        const until = sched.clock.now() + n / o.rate;
        hardwareDelayUntil(sched, control, controlled, until, Point['engine.delay'], 0.05);
      }
      done += n;
      Atomics.store(w, r + QCE_REGS.JOB_DONE, done);
      if (done < len) {
        port.finish(n);
        continue;
      }
      // The result, then not busy, then the last bytes done: a NWD wait ends after both.
      Atomics.store(w, r + QCE_REGS.RESULT, qceDigestFinal(h, Atomics.load(w, r + QCE_REGS.KEY)));
      Atomics.add(w, r + QCE_REGS.JOBS, 1);
      port.finish(n);
    }
    // A zero-length job ends at once.
    if (len <= 0) {
      Atomics.store(w, r + QCE_REGS.RESULT, qceDigestFinal(h, key));
      Atomics.add(w, r + QCE_REGS.JOBS, 1);
    }
  }
}
