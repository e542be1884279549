/**
 * Lockdep's usage bits of a lock class: where the class was taken and with what enabled.
 * A class both taken in an interrupt (USED_IN_x) and taken with that interrupt enabled
 * (ENABLED_x) can deadlock: the interrupt can arrive while the lock is held.
 */
export const Usage = {
  USED_IN_HARDIRQ: 1,
  USED_IN_SOFTIRQ: 2,
  ENABLED_HARDIRQ: 4,
  ENABLED_SOFTIRQ: 8,
} as const;

/** lockdep's state names, as its reports print them. */
export const USAGE_NAMES: Readonly<Record<number, string>> = {
  [Usage.USED_IN_HARDIRQ]: 'IN-HARDIRQ-W',
  [Usage.USED_IN_SOFTIRQ]: 'IN-SOFTIRQ-W',
  [Usage.ENABLED_HARDIRQ]: 'HARDIRQ-ON-W',
  [Usage.ENABLED_SOFTIRQ]: 'SOFTIRQ-ON-W',
};

/** The bit that conflicts with `bit` (lockdep's exclusive_bit()). */
export function exclusiveBit(bit: number): number {
  switch (bit) {
    case Usage.USED_IN_HARDIRQ:
      return Usage.ENABLED_HARDIRQ;
    case Usage.ENABLED_HARDIRQ:
      return Usage.USED_IN_HARDIRQ;
    case Usage.USED_IN_SOFTIRQ:
      return Usage.ENABLED_SOFTIRQ;
    default:
      return Usage.USED_IN_SOFTIRQ;
  }
}

/**
 * The usage bits one acquisition marks (mark_usage()): the interrupt context it runs in,
 * and, when hardirqs are enabled, the interrupts enabled at that point.
 */
export function usageOf(context: string, hardirqsOn: boolean, softirqsOn: boolean): number {
  let bits = 0;
  if (context === 'hardirq') bits |= Usage.USED_IN_HARDIRQ;
  if (context === 'softirq') bits |= Usage.USED_IN_SOFTIRQ;
  if (hardirqsOn) {
    bits |= Usage.ENABLED_HARDIRQ;
    if (softirqsOn) bits |= Usage.ENABLED_SOFTIRQ;
  }
  return bits;
}

/** The `{+.-.}` braces of a class: hardirq then softirq, each with a '.' read bit. */
export function usageBraces(bits: number): string {
  const one = (used: number, enabled: number): string =>
    bits & used ? (bits & enabled ? '?' : '-') : bits & enabled ? '+' : '.';
  return `{${one(Usage.USED_IN_HARDIRQ, Usage.ENABLED_HARDIRQ)}.${one(Usage.USED_IN_SOFTIRQ, Usage.ENABLED_SOFTIRQ)}.}`;
}
