import type { MmioAccess, MmioDevice, MmioHandler } from '../../platform/mmio.js';
import { reportViolation } from '../../kernel/report/user-violation.js';
import { QCE_CONFIG_REGS, QCE_REGS, QCE_VERSION, QceStatus, qceBusy } from './regs.js';

const REG_NAMES = Object.fromEntries(
  Object.entries(QCE_REGS)
    .filter(([k]) => k !== 'WORDS' && k !== 'BYTES')
    .map(([k, v]) => [v, k]),
) as Record<number, string>;

function who(a: MmioAccess): string {
  return `EE${a.ee} ${a.by === 'dma' ? 'BAM command descriptor' : 'CPU'}`;
}

/**
 * A register access by an EE other than the one the pipe lock holds the engine for: on the
 * hardware an external abort. Reported as `lock-violation`; the access does not happen.
 * @returns true when refused
 */
function lockRefuses(dev: MmioDevice, reg: number, a: MmioAccess, write: boolean): boolean {
  const w = dev.words;
  const r = dev.spec.regs;
  const holder = Atomics.load(w, r + QCE_REGS.LOCK_EE);
  if (holder === 0 || holder === a.ee + 1 || a.pipeLock === 'lock') return false;
  Atomics.add(w, r + QCE_REGS.ABORTS, 1);
  reportViolation('lock-violation', {
    message:
      `${dev.spec.name}: external abort: ${who(a)} ${write ? 'wrote' : 'read'} ` +
      `${REG_NAMES[reg] ?? `register ${reg}`} while the BAM pipe lock holds it for EE${holder - 1}`,
    device: dev.spec.name,
    reg: REG_NAMES[reg] ?? reg,
    ee: a.ee,
    holder: holder - 1,
  });
  return true;
}

/**
 * The crypto engine's register decoder, in the accessor's thread: the lock check, the
 * busy check on config registers, GO queueing a job, and the pipe lock's LOCK/UNLOCK
 * dummy writes taking and releasing the engine for their EE.
 */
export const qceMmio: MmioHandler = {
  write(dev, reg, value, a) {
    const w = dev.words;
    const r = dev.spec.regs;
    if (lockRefuses(dev, reg, a, true)) return;
    if (a.pipeLock === 'lock') Atomics.store(w, r + QCE_REGS.LOCK_EE, a.ee + 1);
    const busy = qceBusy(w, r);
    if (busy && QCE_CONFIG_REGS.has(reg)) {
      Atomics.add(w, r + QCE_REGS.BUSY_WRITES, 1);
      reportViolation('register-write-while-busy', {
        message:
          `${dev.spec.name}: ${who(a)} wrote ${REG_NAMES[reg]} = 0x${(value >>> 0).toString(16)} ` +
          `while a job (${Atomics.load(w, r + QCE_REGS.JOB_DONE)} of ` +
          `${Atomics.load(w, r + QCE_REGS.JOB_LEN)} bytes done) was running; the last GO ` +
          `was EE${Atomics.load(w, r + QCE_REGS.GO_EE)}'s`,
        device: dev.spec.name,
        reg: REG_NAMES[reg] ?? reg,
        ee: a.ee,
      });
    }
    if (reg === QCE_REGS.VERSION) {
      // Read-only: the dummy write lands nowhere (what makes it a scratchpad).
    } else if (reg === QCE_REGS.GO) {
      if ((value & 1) !== 0) {
        Atomics.store(w, r + QCE_REGS.GO_EE, a.ee);
        Atomics.add(w, r + QCE_REGS.GO_COUNT, 1);
        dev.wake();
      }
    } else if (reg >= QCE_REGS.CFG && reg <= QCE_REGS.SEG_SIZE) {
      Atomics.store(w, r + reg, value);
    }
    if (a.pipeLock === 'unlock') Atomics.store(w, r + QCE_REGS.LOCK_EE, 0);
  },
  read(dev, reg, a) {
    if (lockRefuses(dev, reg, a, false)) return -1;
    if (reg === QCE_REGS.VERSION) return QCE_VERSION;
    const w = dev.words;
    const r = dev.spec.regs;
    if (reg === QCE_REGS.STATUS) {
      const done = Atomics.load(w, r + QCE_REGS.JOBS) > 0 ? QceStatus.DONE : 0;
      return (qceBusy(w, r) ? QceStatus.BUSY : 0) | done;
    }
    return Atomics.load(w, r + reg);
  },
};
