import { describe, expect, it } from 'vitest';
import { EventHash } from '../../src/events/event-hash.js';

const hash = (words: number[]): string => {
  const h = new EventHash();
  for (const w of words) h.word(w);
  return h.hex();
};

describe('EventHash', () => {
  it('is 16 hex digits, the same for the same words', () => {
    expect(hash([1, 2, 3])).toMatch(/^[0-9a-f]{16}$/);
    expect(hash([1, 2, 3])).toBe(hash([1, 2, 3]));
  });

  it('changes with the order, a value or one word more', () => {
    const h = hash([1, 2, 3]);
    expect(hash([2, 1, 3])).not.toBe(h);
    expect(hash([1, 2, 4])).not.toBe(h);
    expect(hash([1, 2, 3, 0])).not.toBe(h);
  });
});
