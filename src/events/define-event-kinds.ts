import { registerKinds, type EventKindSpec } from './kind-registry.js';
import { trace } from './trace.js';

/** One int32 argument per field name, in order. */
export type FieldArgs<F extends readonly string[]> = { readonly [I in keyof F]: number };

/** What defineEventKinds returns: the kinds' codes and a typed tracepoint for each. */
export interface EventKindSet<T extends Readonly<Record<string, EventKindSpec>>> {
  /** Who declared them. */
  readonly owner: string;
  /** The declarations, as given. */
  readonly kinds: T;
  /** Numeric codes, for EventEmitter.on/emit or trace(): `set.code['x.y']`. */
  readonly code: { readonly [K in keyof T]: number };
  /**
   * Records an event of the kind from the current actor, one argument per field:
   * `set.trace['x.y'](chan, len)`. Like trace(), free when the run's level leaves it out.
   */
  readonly trace: { readonly [K in keyof T]: (...payload: FieldArgs<T[K]['fields']>) => void };
}

type Tracepoint = (
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
  g: number,
  h: number,
) => void;

/**
 * Declares event kinds of a client, a provider or a user module: each with its level and
 * its int32 payload fields (at most 8), as the core table (kinds.ts) declares its own. A
 * kind's code is a hash of its name, so that every thread and the host agree on it whatever
 * order they load modules in. The host decodes, hashes and exports the kinds it has loaded
 * like core kinds; a record of a kind it has not loaded is delivered as an `unknown` event.
 *
 * For checkers to narrow `e.kind === 'x.y'` to the kind's fields, add the table to the
 * event union: `declare module 'dmasim' { interface DeclaredEventKinds extends MyKinds {} }`
 * with `type MyKinds = typeof set.kinds`.
 * @param owner who declares them (named in errors), e.g. the client's name
 * @param kinds kind name -> `{ level, fields }`; names are namespaced by convention
 *   (`dmatest.result`)
 * @returns the codes and typed tracepoints
 * @throws DmasimError DMASIM_BAD_EVENT_KIND if a declaration is malformed (level, more than
 *   8 fields, a field that is not an identifier or shadows seq/time/actor/context/kind), if a
 *   name is a core kind or another declaration's, or if two names hash to one code. The same
 *   declaration made again by the same owner (a module evaluated twice) is accepted.
 */
export function defineEventKinds<const T extends Readonly<Record<string, EventKindSpec>>>(
  owner: string,
  kinds: T,
): EventKindSet<T> {
  const registered = registerKinds(owner, Object.entries(kinds));
  const code: Record<string, number> = {};
  const tracepoints: Record<string, Tracepoint> = {};
  for (const k of registered) {
    const c = k.code;
    code[k.name] = c;
    // A fixed arity, no rest parameter: a tracepoint allocates nothing.
    tracepoints[k.name] = (a, b, c2, d, e, f, g, h) => trace(c, a, b, c2, d, e, f, g, h);
  }
  return {
    owner,
    kinds,
    code: code as EventKindSet<T>['code'],
    trace: tracepoints as unknown as EventKindSet<T>['trace'],
  };
}
