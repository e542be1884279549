/**
 * FNV-1a of `text` as an unsigned 32-bit number: how every thread and the host turn a
 * name (a lock class, a callback, an irq handler, an event kind, a struct's fields, a
 * WARN_ONCE site) into the same id, whatever order they load modules in. Each caller maps
 * it into its own id space.
 */
export function nameHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** nameHash() as a positive odd int32 (0 and negatives stay free for "none"). */
export function nameId(text: string): number {
  return (nameHash(text) >>> 1) | 1;
}
