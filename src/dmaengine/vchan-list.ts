import { CHAN, type VchanList } from '../shm/channel-struct.js';
import { DESC } from '../shm/descriptor-pool.js';
import { POOL } from '../shm/descriptor-pool.js';

/**
 * The virt-dma lists, index-linked through DESC.NEXT/PREV, with head and tail indices in
 * the channel struct (-1 when empty). All list operations run under the channel's vc.lock.
 *
 *   chan: [HEAD]--> d3 <-> d7 <-> d1 <--[TAIL]      d.PREV of the head and d.NEXT of the tail are -1
 */
export const LIST_HEAD: { readonly [L in VchanList]: number } = {
  ALLOCATED: CHAN.ALLOCATED_HEAD,
  SUBMITTED: CHAN.SUBMITTED_HEAD,
  ISSUED: CHAN.ISSUED_HEAD,
  COMPLETED: CHAN.COMPLETED_HEAD,
  TERMINATED: CHAN.TERMINATED_HEAD,
};

/** Word offset of descriptor `i` in the pool's words. */
export function descBase(i: number): number {
  return POOL.WORDS + i * DESC.WORDS;
}

/** Empties every list of a channel (at channel registration). */
export function initLists(c: Int32Array, cb: number): void {
  for (const head of Object.values(LIST_HEAD)) {
    c[cb + head] = -1;
    c[cb + head + 1] = -1;
  }
}

/** list_add_tail(). */
export function listAddTail(
  c: Int32Array,
  cb: number,
  head: number,
  d: Int32Array,
  i: number,
): void {
  const tail = c[cb + head + 1]!;
  const db = descBase(i);
  d[db + DESC.NEXT] = -1;
  d[db + DESC.PREV] = tail;
  if (tail < 0) c[cb + head] = i;
  else d[descBase(tail) + DESC.NEXT] = i;
  c[cb + head + 1] = i;
}

/** list_add(): at the head (a provider putting a partly done transfer back first). */
export function listAdd(c: Int32Array, cb: number, head: number, d: Int32Array, i: number): void {
  const first = c[cb + head]!;
  const db = descBase(i);
  d[db + DESC.PREV] = -1;
  d[db + DESC.NEXT] = first;
  if (first < 0) c[cb + head + 1] = i;
  else d[descBase(first) + DESC.PREV] = i;
  c[cb + head] = i;
}

/** list_del() from the list `head`. */
export function listDel(c: Int32Array, cb: number, head: number, d: Int32Array, i: number): void {
  const db = descBase(i);
  const next = d[db + DESC.NEXT]!;
  const prev = d[db + DESC.PREV]!;
  if (prev < 0) c[cb + head] = next;
  else d[descBase(prev) + DESC.NEXT] = next;
  if (next < 0) c[cb + head + 1] = prev;
  else d[descBase(next) + DESC.PREV] = prev;
  d[db + DESC.NEXT] = -1;
  d[db + DESC.PREV] = -1;
}

/** list_first_entry_or_null(): the head's index, or -1. */
export function listFirst(c: Int32Array, cb: number, head: number): number {
  return c[cb + head]!;
}

/**
 * list_splice_tail_init(from, to): appends all of `from` to `to` in O(1), setting each
 * moved descriptor's state to `state` (which walks the moved part).
 * @returns how many moved
 */
export function listSpliceTailInit(
  c: Int32Array,
  cb: number,
  from: number,
  to: number,
  d: Int32Array,
  state: number,
): number {
  const first = c[cb + from]!;
  if (first < 0) return 0;
  const last = c[cb + from + 1]!;
  let n = 0;
  for (let i = first; i >= 0; i = d[descBase(i) + DESC.NEXT]!) {
    d[descBase(i) + DESC.STATE] = state;
    n++;
  }
  const tail = c[cb + to + 1]!;
  if (tail < 0) c[cb + to] = first;
  else d[descBase(tail) + DESC.NEXT] = first;
  d[descBase(first) + DESC.PREV] = tail;
  c[cb + to + 1] = last;
  c[cb + from] = -1;
  c[cb + from + 1] = -1;
  return n;
}

/** Detaches a whole list and returns its descriptors in order. */
export function listTakeAll(
  c: Int32Array,
  cb: number,
  head: number,
  d: Int32Array,
  out: number[],
): void {
  for (let i = c[cb + head]!; i >= 0;) {
    const next = d[descBase(i) + DESC.NEXT]!;
    d[descBase(i) + DESC.NEXT] = -1;
    d[descBase(i) + DESC.PREV] = -1;
    out.push(i);
    i = next;
  }
  c[cb + head] = -1;
  c[cb + head + 1] = -1;
}
