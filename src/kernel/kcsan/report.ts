import type { Cpu } from '../cpu.js';
import { currentActor } from '../current.js';
import { ReportType, emitReport, whoLine } from '../report/report.js';
import type { Access } from '../../shm/kcsan-table.js';

const RULE = '==================================================================';

/** The access being made when the race showed. */
export interface ThisAccess {
  addr: number;
  size: number;
  write: boolean;
  marked: boolean;
  irq: boolean;
  fn: string;
}

function hex(addr: number): string {
  return `0x${(addr >>> 0).toString(16).padStart(8, '0')}`;
}

/** `read to 0x... of 4 bytes by task 0 on cpu 1:` as KCSAN's report prints an access. */
function accessLine(
  prefix: string,
  write: boolean,
  marked: boolean,
  addr: number,
  size: number,
  irq: boolean,
  cpu: number,
): string {
  const op = `${marked ? (write ? 'write (marked)' : 'read (marked)') : write ? 'write' : 'read'}`;
  const who = irq ? 'interrupt' : 'task 0';
  return `${prefix}${op} to ${hex(addr)} of ${size} bytes by ${who} on cpu ${cpu}:`;
}

/**
 * Prints a data race in the format of KCSAN's report (`BUG: KCSAN: data-race in a / b`,
 * both accesses with their function and context) and records a `data-race` violation.
 * The other access happened earlier (Eraser finds a race when the lockset empties, not
 * while both accesses are in flight), so it is printed as the previous one.
 */
export function reportDataRace(
  cpu: Cpu,
  me: ThisAccess,
  other: Access & { write: boolean; fnId: number },
  what: string,
): void {
  const strings = currentActor().machine.strings;
  const otherFn = (other.fnId > 0 ? strings.text(other.fnId) : null) ?? '<unknown>';
  const pair = [me.fn, otherFn].sort();
  const lines = [
    RULE,
    `BUG: KCSAN: data-race in ${pair[0]} / ${pair[1]}`,
    '',
    accessLine('', me.write, me.marked, me.addr, me.size, me.irq, cpu.id),
    ` ${me.fn}`,
    '',
    accessLine('previous ', other.write, other.marked, me.addr, other.size, other.irq, other.cpu),
    ` ${otherFn}`,
    '',
    ...(what ? [`the memory: ${what}`, ''] : []),
    'no lock was held in common by the two accesses (lockset empty)',
    '',
    'Reported by Kernel Concurrency Sanitizer on:',
    whoLine(),
    RULE,
  ];
  emitReport(ReportType.USER, lines, {
    kind: 'data-race',
    message: `${currentActor().name}: data-race in ${pair[0]} / ${pair[1]} at ${hex(me.addr)}${what ? ` (${what})` : ''}`,
    where: me.fn,
    fields: { addr: me.addr, cpu: cpu.id, otherCpu: other.cpu },
  });
}
