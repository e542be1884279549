import { defineLockClass } from '../kernel/lock-class.js';
import { DmasimError } from '../errors.js';
import { nameHash } from './name-hash.js';

/** The bytes of a cache line: declared state is laid out in whole lines. */
export const CACHE_LINE = 64;

/**
 * What a field of a shared struct is, one Int32 word unless said otherwise:
 *   'i32'                      a word
 *   { array: n }               n words
 *   'spinlock' | 'mutex'       a kernel lock word, class `&<struct>->field`
 *   { spinlock: name } | { mutex: name }   the same with the lock class `name`
 *   'waitqueue'                a wait_queue_head_t (its waiter count)
 *   { pad: n }                 n unused words
 *   { align: bytes }           unused words up to the next multiple of `bytes` (64: a new
 *                              cache line, for a group of words another side writes)
 */
export type FieldSpec =
  | 'i32'
  | 'spinlock'
  | 'mutex'
  | 'waitqueue'
  | { readonly array: number }
  | { readonly spinlock: string }
  | { readonly mutex: string }
  | { readonly pad: number }
  | { readonly align: number };

/** A struct's fields, in declaration order. */
export type FieldSpecs = { readonly [name: string]: FieldSpec };

/** The lock fields of `F` (spinlock and mutex words alike: the word format is the same). */
export type LockField<F extends FieldSpecs> = {
  [K in keyof F]: F[K] extends 'spinlock' | 'mutex' | { spinlock: string } | { mutex: string }
    ? K
    : never;
}[keyof F] &
  string;

/** The wait queue fields of `F`. */
export type WaitQueueField<F extends FieldSpecs> = {
  [K in keyof F]: F[K] extends 'waitqueue' ? K : never;
}[keyof F] &
  string;

/** A field name of `F`. */
export type FieldName<F extends FieldSpecs> = keyof F & string;

/** A struct kept in shared memory, declared once with defineStruct(). */
export interface Struct<F extends FieldSpecs = FieldSpecs> {
  /** The C struct name (`dmatest_thread`), which names its lock classes. */
  readonly name: string;
  readonly fields: F;
  /** Word offset of each field from the start of an instance. */
  readonly off: { readonly [K in FieldName<F>]: number };
  /** Lockdep class id of each lock field (defineLockClass). */
  readonly lockClass: { readonly [K in LockField<F>]: number };
  /** Words of one instance, padding included. */
  readonly WORDS: number;
  /** Bytes of one instance. */
  readonly BYTES: number;
  /** A hash of the name and every field's kind and offset: two threads agree on a layout. */
  readonly sig: number;
}

function bad(struct: string, field: string, what: string): DmasimError {
  return new DmasimError('DMASIM_BAD_OPTION', `struct ${struct}: field '${field}' ${what}`);
}

/** Words field `spec` spans when it starts at word `at`. */
function span(struct: string, name: string, spec: FieldSpec, at: number): number {
  if (typeof spec === 'string') return 1;
  if ('array' in spec || 'pad' in spec) {
    const n = 'array' in spec ? spec.array : spec.pad;
    if (!Number.isInteger(n) || n < 0) throw bad(struct, name, `needs a word count >= 0, got ${n}`);
    return n;
  }
  if ('align' in spec) {
    const a = spec.align;
    if (!Number.isInteger(a) || a < 4 || (a & (a - 1)) !== 0)
      throw bad(struct, name, `aligns to a power of two of at least 4 bytes, got ${a}`);
    return Math.ceil(at / (a / 4)) * (a / 4) - at;
  }
  return 1;
}

/** The lock class name of a lock field, or null for another kind. */
function lockClassName(struct: string, name: string, spec: FieldSpec): string | null {
  if (spec === 'spinlock' || spec === 'mutex') return `&${struct}->${name}`;
  if (typeof spec === 'object' && 'spinlock' in spec) return spec.spinlock;
  if (typeof spec === 'object' && 'mutex' in spec) return spec.mutex;
  return null;
}

/**
 * Declares a struct that lives in shared memory: word offsets derived from the fields in
 * declaration order (never hand-counted), its size, and a lockdep class per lock field, named
 * as lockdep names a lock initialised in a struct (`&dmatest_thread->lock`) unless the field
 * names its class. Declare it once, at module load, in a module every thread imports.
 *
 * Mirrors a C `struct name { ... }` whose instances a kernel module shares between CPUs.
 * @param name the struct's name (lock classes are named after it)
 * @param fields each field's kind (see FieldSpec), in order
 * @throws DmasimError DMASIM_BAD_OPTION on a bad field spec
 */
export function defineStruct<const F extends FieldSpecs>(name: string, fields: F): Struct<F> {
  const off: Record<string, number> = {};
  const classes: Record<string, number> = {};
  const parts: string[] = [name];
  let at = 0;
  for (const [field, spec] of Object.entries(fields)) {
    const words = span(name, field, spec, at);
    off[field] = at;
    const cls = lockClassName(name, field, spec);
    if (cls !== null) classes[field] = defineLockClass(cls);
    parts.push(`${field}:${at}:${JSON.stringify(spec)}`);
    at += words;
  }
  const WORDS = Math.max(1, at);
  const struct = {
    name,
    fields,
    // Built in one go (see layout.ts): property loads on the hot path stay fast.
    off: Object.freeze(Object.fromEntries(Object.entries(off))),
    lockClass: Object.freeze(Object.fromEntries(Object.entries(classes))),
    WORDS,
    BYTES: WORDS * 4,
    sig: nameHash(parts.join(';')),
  };
  return Object.freeze(struct) as unknown as Struct<F>;
}
