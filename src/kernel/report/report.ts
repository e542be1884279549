import { currentActor, printk } from '../current.js';
import { CPU_CONTEXT_NAMES } from '../../shm/cpu-struct.js';
import { EventCode } from '../../events/kinds.js';
import { trace } from '../../events/trace.js';
import type { CallSite } from './site.js';

/** What a `report` event reports (its `type`). */
export const ReportType = { WARNING: 0, BUG: 1, LOCKDEP_ASSERT: 2, USER: 3 } as const;
export type ReportType = (typeof ReportType)[keyof typeof ReportType];

/** The violation kind of each built-in report type (a USER report names its own). */
export const REPORT_KINDS = ['warning', 'bug', 'lockdep-assert'] as const;

/** A report's text as the host reads it back from the string table. */
export interface StoredReport {
  kind: string;
  message: string;
  /** The dmesg block the actor printed. */
  report: string;
  where?: string;
  fields?: Record<string, number | string>;
}

/** The kernel's separator lines around a WARN or an oops. */
export const CUT_HERE = '------------[ cut here ]------------';
export const END_TRACE = '---[ end trace 0000000000000000 ]---';

/** `CPU: 1 PID: 0 Comm: cpu1 (softirq)`: who was running (there are no tasks: PID 0). */
export function whoLine(): string {
  const actor = currentActor();
  const cpu = actor.cpu;
  if (!cpu) return `CPU: - PID: 0 Comm: ${actor.name} (hw)`;
  return `CPU: ${cpu.id} PID: 0 Comm: ${actor.name} (${CPU_CONTEXT_NAMES[cpu.context()]})`;
}

/** `WARNING: CPU: 1 PID: 0 at file:line fn`, as __warn() prints it. */
export function warningLine(site: Pick<CallSite, 'where' | 'fn'>): string {
  const cpu = currentActor().cpu;
  return `WARNING: CPU: ${cpu ? cpu.id : '-'} PID: 0 at ${site.where} ${site.fn}`;
}

/** The dmesg block of a WARN: cut here, the message if any, the WARNING line, who, end. */
export function warningBlock(site: Pick<CallSite, 'where' | 'fn'>, message?: string): string[] {
  return [CUT_HERE, ...(message ? [message] : []), warningLine(site), whoLine(), END_TRACE];
}

/** Whether the WARN_ONCE flag of call site `key` was still clear (it is set now). */
export function onceAt(key: string): boolean {
  return currentActor().machine.once.first(key);
}

/**
 * Prints `lines` to the actor's dmesg and records a `report` event whose text (kind,
 * message, the block, the fields) goes through the run's string table: the host's
 * kernel-report checker turns it into a violation, in every run whatever its checkers.
 */
export function emitReport(
  type: ReportType,
  lines: readonly string[],
  stored: Omit<StoredReport, 'report'>,
): void {
  for (const line of lines) printk(line);
  const text: StoredReport = { ...stored, report: lines.join('\n') };
  const id = currentActor().machine.strings.intern(JSON.stringify(text));
  trace(EventCode.report, type, id);
}
