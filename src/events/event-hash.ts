/**
 * A 64-bit hash of the event sequence, as two 32-bit FNV-1a-style lanes fed with every
 * event's actor, kind, context and payload words, in order. Times and sequence numbers are
 * left out: in a controlled run two runs with the same seed hash the same, and any change
 * of order, actor or payload changes the hash.
 */
export class EventHash {
  private a = 0x811c9dc5 | 0;
  private b = 0x9e3779b9 | 0;

  /** Feeds one 32-bit word. */
  word(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b ^ x, 0x85ebca6b) ^ (this.b >>> 13);
  }

  /** The hash so far, as 16 hex digits. */
  hex(): string {
    const h = (x: number): string => (x >>> 0).toString(16).padStart(8, '0');
    return h(this.a) + h(this.b ^ Math.imul(this.a, 0xc2b2ae35));
  }
}
