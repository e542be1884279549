/**
 * Times as decimal text, from integer nanoseconds. Formatting a double (the shortest text
 * that reads back the same) costs several times what integer formatting does, and the
 * exporters write a time or two for every event.
 */

/** `.000` ... `.999`: the three digits below a unit, by value. */
const THOUSANDTHS = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}`);

/** Run-clock ms -> integer ns (a run clock reads no finer). */
export function toNs(ms: number): number {
  return Math.round(ms * 1e6);
}

/** Integer `ns` as microseconds, to the ns: `1234.567`. */
export function usText(ns: number): string {
  if (ns < 0) return `-${usText(-ns)}`;
  const us = Math.floor(ns / 1e3);
  const r = ns - us * 1e3;
  return r === 0 ? `${us}` : `${us}${THOUSANDTHS[r]!}`;
}

/** Integer `ns` as milliseconds, to the ns: `1.234567`. */
export function msText(ns: number): string {
  if (ns < 0) return `-${msText(-ns)}`;
  const ms = Math.floor(ns / 1e6);
  const r = ns - ms * 1e6;
  if (r === 0) return `${ms}`;
  const hi = Math.floor(r / 1e3);
  return `${ms}${THOUSANDTHS[hi]!}${THOUSANDTHS[r - hi * 1e3]!.slice(1)}`;
}
