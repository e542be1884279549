import { alignUp } from './layout.js';
import { ARENA_RESERVED } from './arena.js';
import { CACHE_LINE, type FieldSpecs, type Struct } from './struct.js';
import { DmasimError } from '../errors.js';

/** What one instance of a declared state belongs to (and so how many there are). */
export type StatePer = 'machine' | 'cpu' | 'device' | 'channel';

/** Shared state a client, a provider or a scenario keeps: a struct and where its instances live. */
export interface StateDecl<F extends FieldSpecs = FieldSpecs> {
  /** Unique in a run: every thread finds the instances by it. */
  readonly name: string;
  readonly struct: Struct<F>;
  readonly per: StatePer;
}

/**
 * A plan's use of a declared state: the declaration, or for per-'machine' state the
 * declaration with how many instances this run needs (dmatest's threads).
 */
export type StateUse = StateDecl | { readonly decl: StateDecl; readonly count: number };

/** Where a declared state's instances are in the arena (MachineSpec.state). */
export interface StateEntry {
  name: string;
  /** Byte address of instance 0. */
  addr: number;
  /** Bytes from one instance to the next (whole cache lines). */
  stride: number;
  count: number;
  /** The struct's signature (Struct.sig): a worker with another layout refuses it. */
  sig: number;
}

/** How many instances a per-CPU, per-device or per-channel state has in a run. */
export interface StateCounts {
  cpus: number;
  devices: number;
  channels: number;
}

/**
 * Declares shared state: instances of `struct`, one per `per` (one per run for 'machine',
 * or as many as the plan says). Declare it once at module load; list it in the plan's
 * `state` so that the host lays it out before any thread starts.
 * @param name a unique name (`dmatest.thread`)
 * @param struct its layout (defineStruct)
 * @param per what an instance belongs to
 */
export function declareState<F extends FieldSpecs>(
  name: string,
  struct: Struct<F>,
  per: StatePer,
): StateDecl<F> {
  return Object.freeze({ name, struct, per });
}

/** The layout of every declared state of a run. */
export interface StateLayout {
  entries: StateEntry[];
  /** Bytes from ARENA_RESERVED to the end of the last instance (whole cache lines). */
  bytes: number;
}

/**
 * Lays out declared state in the arena after the NULL page, in the order given, each state
 * on its own cache lines: deterministic for the same uses and counts. A state listed twice
 * with the same struct is laid out once (with the larger count).
 * @param uses the plan's state, then the providers'
 * @param counts the run's CPUs, devices and channels
 * @throws DmasimError DMASIM_BAD_OPTION when a name is declared with two different structs
 *   (or per), or a count is not a whole number
 */
export function layoutState(uses: readonly StateUse[], counts: StateCounts): StateLayout {
  const seen = new Map<string, { decl: StateDecl; count: number }>();
  for (const use of uses) {
    const decl = 'decl' in use ? use.decl : use;
    const count = countOf(decl, 'decl' in use ? use.count : undefined, counts);
    const had = seen.get(decl.name);
    if (had === undefined) {
      seen.set(decl.name, { decl, count });
      continue;
    }
    if (had.decl.struct.sig !== decl.struct.sig || had.decl.per !== decl.per) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `shared state '${decl.name}' is declared twice, as struct ${had.decl.struct.name} per ${had.decl.per} ` +
          `and as struct ${decl.struct.name} per ${decl.per}: give one of them another name`,
      );
    }
    had.count = Math.max(had.count, count);
  }
  const entries: StateEntry[] = [];
  let at = ARENA_RESERVED;
  for (const { decl, count } of seen.values()) {
    const stride = alignUp(decl.struct.BYTES, CACHE_LINE);
    entries.push({ name: decl.name, addr: at, stride, count, sig: decl.struct.sig });
    at += stride * count;
  }
  return { entries, bytes: at - ARENA_RESERVED };
}

function countOf(decl: StateDecl, given: number | undefined, counts: StateCounts): number {
  const n =
    decl.per === 'machine'
      ? (given ?? 1)
      : decl.per === 'cpu'
        ? counts.cpus
        : decl.per === 'device'
          ? counts.devices
          : counts.channels;
  if (!Number.isInteger(n) || n < 0) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `shared state '${decl.name}': instance count ${n} is not a whole number >= 0`,
    );
  }
  if (given !== undefined && decl.per !== 'machine' && given !== n) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `shared state '${decl.name}' is per ${decl.per}: its count (${n}) comes from the run, not the plan (got ${given})`,
    );
  }
  return n;
}

/** The first byte after the declared state of `entries` (ARENA_RESERVED when there is none). */
export function stateEnd(entries: readonly StateEntry[]): number {
  let end = ARENA_RESERVED;
  for (const e of entries) end = Math.max(end, e.addr + e.stride * e.count);
  return end;
}
