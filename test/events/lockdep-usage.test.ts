import { describe, it, expect } from 'vitest';
import {
  USAGE_NAMES,
  Usage,
  exclusiveBit,
  usageBraces,
  usageOf,
} from '../../src/events/checkers/lockdep/usage.js';

const { USED_IN_HARDIRQ, USED_IN_SOFTIRQ, ENABLED_HARDIRQ, ENABLED_SOFTIRQ } = Usage;

describe('usageOf', () => {
  it.each<[context: string, hardirqsOn: boolean, softirqsOn: boolean, bits: number, what: string]>([
    // What the simulator's CPUs report: hardirq context never has hardirqs on, softirq
    // context never has softirqs on.
    ['process', true, true, ENABLED_HARDIRQ | ENABLED_SOFTIRQ, 'spin_lock with irqs and bh on'],
    ['process', false, true, 0, 'spin_lock_irqsave (irqs off, bh on)'],
    ['process', false, false, 0, 'irqs and bh off'],
    ['process', true, false, ENABLED_HARDIRQ, 'spin_lock_bh (bh off)'],
    ['softirq', true, false, USED_IN_SOFTIRQ | ENABLED_HARDIRQ, 'softirq with hardirqs on'],
    ['softirq', false, false, USED_IN_SOFTIRQ, 'softirq with hardirqs off'],
    ['hardirq', false, false, USED_IN_HARDIRQ, 'hardirq'],
  ])(
    'marks %s with hardirqsOn=%s softirqsOn=%s as %i (%s)',
    (context, hardirqsOn, softirqsOn, expected, _what) => {
      const bits = usageOf(context, hardirqsOn, softirqsOn);

      expect(bits).toBe(expected);
    },
  );

  it('marks ENABLED_SOFTIRQ only when hardirqs are on too (mark_usage)', () => {
    const bits = usageOf('hardirq', false, true);

    expect(bits).toBe(USED_IN_HARDIRQ);
  });

  it('marks nothing for a context that is not an interrupt and has irqs off', () => {
    const bits = usageOf('hw', false, false);

    expect(bits).toBe(0);
  });
});

describe('exclusiveBit', () => {
  it.each([
    [USED_IN_HARDIRQ, ENABLED_HARDIRQ],
    [ENABLED_HARDIRQ, USED_IN_HARDIRQ],
    [USED_IN_SOFTIRQ, ENABLED_SOFTIRQ],
    [ENABLED_SOFTIRQ, USED_IN_SOFTIRQ],
  ])('pairs bit %i with bit %i', (bit, expected) => {
    const excl = exclusiveBit(bit);

    expect(excl).toBe(expected);
    expect(exclusiveBit(excl)).toBe(bit);
  });
});

describe('USAGE_NAMES', () => {
  it("names every usage bit as lockdep's reports do", () => {
    expect(USAGE_NAMES).toEqual({
      [USED_IN_HARDIRQ]: 'IN-HARDIRQ-W',
      [USED_IN_SOFTIRQ]: 'IN-SOFTIRQ-W',
      [ENABLED_HARDIRQ]: 'HARDIRQ-ON-W',
      [ENABLED_SOFTIRQ]: 'SOFTIRQ-ON-W',
    });
  });
});

describe('usageBraces', () => {
  // lockdep-design.rst: '.' irqs disabled and not in irq, '-' in irq, '+' irqs enabled,
  // '?' in irq with irqs enabled; hardirq bit, read bit, softirq bit, read bit.
  it.each([
    [0, '{....}'],
    [USED_IN_HARDIRQ, '{-...}'],
    [ENABLED_HARDIRQ, '{+...}'],
    [USED_IN_HARDIRQ | ENABLED_HARDIRQ, '{?...}'],
    [USED_IN_SOFTIRQ, '{..-.}'],
    [ENABLED_SOFTIRQ, '{..+.}'],
    [USED_IN_SOFTIRQ | ENABLED_SOFTIRQ, '{..?.}'],
    [USED_IN_HARDIRQ | USED_IN_SOFTIRQ, '{-.-.}'],
    [USED_IN_HARDIRQ | ENABLED_SOFTIRQ, '{-.+.}'],
    [USED_IN_HARDIRQ | USED_IN_SOFTIRQ | ENABLED_SOFTIRQ, '{-.?.}'],
    [ENABLED_HARDIRQ | USED_IN_SOFTIRQ, '{+.-.}'],
    [ENABLED_HARDIRQ | ENABLED_SOFTIRQ, '{+.+.}'],
    [ENABLED_HARDIRQ | USED_IN_SOFTIRQ | ENABLED_SOFTIRQ, '{+.?.}'],
    [USED_IN_HARDIRQ | ENABLED_HARDIRQ | USED_IN_SOFTIRQ, '{?.-.}'],
    [USED_IN_HARDIRQ | ENABLED_HARDIRQ | ENABLED_SOFTIRQ, '{?.+.}'],
    [USED_IN_HARDIRQ | ENABLED_HARDIRQ | USED_IN_SOFTIRQ | ENABLED_SOFTIRQ, '{?.?.}'],
  ])('prints usage %i as %s', (bits, expected) => {
    const braces = usageBraces(bits);

    expect(braces).toBe(expected);
  });
});
