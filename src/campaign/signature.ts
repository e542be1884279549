import type { Violation } from '../events/violation.js';

/** Fields that tell two violations of one kind apart as different bugs. */
const DISCRIMINATORS = ['rule', 'lockClass', 'chain', 'result'] as const;

/**
 * A violation's signature: its kind, and what it names where the kind covers several bugs
 * (the misuse rule, the lock class, the dependency chain, dmatest's result). Timing and
 * addresses stay out, so the same bug found by two seeds has one signature.
 */
export function violationSignature(v: Violation): string {
  for (const key of DISCRIMINATORS) {
    const value = v[key];
    if (value === undefined || value === null || value === '') continue;
    const text = Array.isArray(value)
      ? value.map(String).join(' -> ')
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
    return `${v.kind}:${text}`;
  }
  return v.kind;
}
