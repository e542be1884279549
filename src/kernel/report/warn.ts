import { currentActor } from '../current.js';
import { ReportType, emitReport, onceAt, warningBlock } from './report.js';
import { callSite, type CallSite } from './site.js';
import { kernelFormat } from './format.js';

/** Prints the WARN block and records a `warning` violation (a C driver's WARN gives its site). */
export function warn(site: Pick<CallSite, 'where' | 'fn'>, message: string | undefined): void {
  const actor = currentActor().name;
  emitReport(ReportType.WARNING, warningBlock(site, message), {
    kind: 'warning',
    message: `${actor}: WARNING at ${site.where} ${site.fn}${message ? `: ${message}` : ''}`,
    where: site.where,
  });
}

/**
 * WARN_ON(condition): when `condition` is truthy, prints the kernel's WARNING block
 * (`WARNING: CPU: n PID: 0 at file:line fn`) to dmesg and records a `warning` violation;
 * the caller goes on. The `fmt` (with printf arguments) is dmasim's: the kernel's WARN_ON
 * has none, WARN() has.
 * @returns whether `condition` was truthy, as the kernel's
 */
export function WARN_ON(condition: unknown, fmt?: string, ...args: unknown[]): boolean {
  if (!condition) return false;
  warn(callSite(WARN_ON), fmt === undefined ? undefined : kernelFormat(fmt, args));
  return true;
}

/**
 * WARN(condition, fmt, ...): WARN_ON with a printf-style message printed above the
 * WARNING line.
 * @returns whether `condition` was truthy
 */
export function WARN(condition: unknown, fmt: string, ...args: unknown[]): boolean {
  if (!condition) return false;
  warn(callSite(WARN), kernelFormat(fmt, args));
  return true;
}

/**
 * WARN_ON_ONCE(condition): WARN_ON that reports only the first time its call site fires
 * in the run, whichever CPU it fires on (the site's flag is shared: see OnceTable).
 * @returns whether `condition` was truthy, every time
 */
export function WARN_ON_ONCE(condition: unknown, fmt?: string, ...args: unknown[]): boolean {
  if (!condition) return false;
  const site = callSite(WARN_ON_ONCE);
  if (onceAt(site.key)) warn(site, fmt === undefined ? undefined : kernelFormat(fmt, args));
  return true;
}

/**
 * WARN_ONCE(condition, fmt, ...): WARN that reports only the first time its call site
 * fires in the run.
 * @returns whether `condition` was truthy, every time
 */
export function WARN_ONCE(condition: unknown, fmt: string, ...args: unknown[]): boolean {
  if (!condition) return false;
  const site = callSite(WARN_ONCE);
  if (onceAt(site.key)) warn(site, kernelFormat(fmt, args));
  return true;
}
