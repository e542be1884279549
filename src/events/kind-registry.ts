import { DmasimError } from '../errors.js';
import { EVENT_KINDS, EVENT_TABLE, LOCKDEP_LEVEL } from './kinds.js';
import { nameHash } from '../shm/name-hash.js';

/**
 * What a kind declares: the level that records it (an EVENT_LEVELS index, or LOCKDEP_LEVEL
 * for a kind recorded iff lockdep is on) and the names of its int32 payload words, at most 8.
 */
export interface EventKindSpec {
  readonly level: 0 | 1 | 2 | 3;
  readonly fields: readonly string[];
}

/** A kind the registry knows, core or declared. */
export interface RegisteredKind {
  readonly name: string;
  /** The number a record carries in its meta word. */
  readonly code: number;
  readonly level: number;
  readonly fields: readonly string[];
  /** Who declared it: `core` for the core table, else defineEventKinds' owner. */
  readonly owner: string;
}

/**
 * Codes: the core table's kinds take 0, 1, 2, ... in table order; a declared kind takes a
 * hash of its name into [DECLARED_CODE_BASE, CODE_LIMIT), so that every thread and the host
 * give it the same code whatever order they load their modules in.
 *
 *   0 .. core kinds - 1   core kinds (EVENT_TABLE order)
 *   .. 0x3ff              free: room for the core table to grow
 *   0x400 .. 0xffff       declared kinds, at DECLARED_CODE_BASE + fnv1a(name) % range
 */
export const DECLARED_CODE_BASE = 0x400;
/** A record's meta word holds the code in its low 16 bits (event-ring.ts). */
export const CODE_LIMIT = 0x10000;

/** Kind name of a record whose code no loaded module declared (see UnknownEvent). */
export const UNKNOWN_KIND = 'unknown';

/** Fields every event already has: a kind's payload field must not shadow them. */
const BASE_FIELDS: ReadonlySet<string> = new Set(['seq', 'time', 'actor', 'context', 'kind']);
/** A payload field is read as `e.<field>` and decoded into an object literal. */
const FIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_FIELDS = 8;

/**
 * Which runs record each code, by bit: bit L (L = 0..2) for a run at level L, bit 3 for a
 * run with lockdep on. A kind of level L has bits L..2; a lock kind has bit 3 alone; a code
 * nobody declared has none. One load and one AND on the emitter's hot path.
 */
export const RECORD_BITS = new Uint8Array(CODE_LIMIT);

/** Bits of a run (see RECORD_BITS): its level's bit, and bit 3 if lockdep is on. */
export function runRecordBits(level: number, lockdep: boolean): number {
  const l = Math.min(level, 2);
  return (l >= 0 ? 1 << l : 0) | (lockdep ? 1 << LOCKDEP_LEVEL : 0);
}

function kindRecordBits(level: number): number {
  return level === LOCKDEP_LEVEL ? 1 << LOCKDEP_LEVEL : 0b111 & ~((1 << level) - 1);
}

const byCode = new Map<number, RegisteredKind>();
const byName = new Map<string, RegisteredKind>();

function add(kind: RegisteredKind): void {
  byCode.set(kind.code, kind);
  byName.set(kind.name, kind);
  RECORD_BITS[kind.code] = kindRecordBits(kind.level);
}

// The core table's codes must stay below the declared ones.
if (EVENT_KINDS.length > DECLARED_CODE_BASE)
  throw new Error('EVENT_TABLE outgrew DECLARED_CODE_BASE');
EVENT_KINDS.forEach((name, code) => {
  add({
    name,
    code,
    level: EVENT_TABLE[name].level,
    fields: EVENT_TABLE[name].fields,
    owner: 'core',
  });
});

/**
 * The code a declared kind of this name takes: FNV-1a (32-bit) of its UTF-16 code units,
 * folded into [DECLARED_CODE_BASE, CODE_LIMIT). Depends on the name alone.
 */
export function declaredKindCode(name: string): number {
  return DECLARED_CODE_BASE + (nameHash(name) % (CODE_LIMIT - DECLARED_CODE_BASE));
}

/** The kind a record's code stands for, or undefined if no loaded module declared it. */
export function kindOfCode(code: number): RegisteredKind | undefined {
  return byCode.get(code);
}

/** The kind of this name, or undefined. */
export function kindNamed(name: string): RegisteredKind | undefined {
  return byName.get(name);
}

/** Every kind known in this thread: the core's in code order, then declared ones in order of declaration. */
export function registeredKinds(): readonly RegisteredKind[] {
  return [...byName.values()];
}

function refuse(message: string): never {
  throw new DmasimError('DMASIM_BAD_EVENT_KIND', message);
}

/** What is wrong with one declaration, or nothing (it may be a repeat of the same one). */
function checkSpec(owner: string, name: string, spec: EventKindSpec): void {
  const what = `event kind '${name}' (declared by '${owner}')`;
  if (name === '' || name === UNKNOWN_KIND)
    refuse(`${what}: the name '${name}' is reserved: choose another`);
  if (![0, 1, 2, LOCKDEP_LEVEL].includes(spec.level))
    refuse(`${what}: level ${String(spec.level)} is not 0, 1, 2 or ${LOCKDEP_LEVEL}`);
  if (spec.fields.length > MAX_FIELDS)
    refuse(`${what}: ${spec.fields.length} fields, a record carries at most ${MAX_FIELDS}`);
  const seen = new Set<string>();
  for (const f of spec.fields) {
    if (!FIELD_NAME.test(f) || BASE_FIELDS.has(f))
      refuse(
        `${what}: field '${f}' must be a JavaScript identifier other than ${[...BASE_FIELDS].join(', ')}`,
      );
    if (seen.has(f)) refuse(`${what}: field '${f}' is named twice`);
    seen.add(f);
  }
}

/**
 * Registers kinds declared outside the core table, all or none.
 * A repeat of a declaration (same owner, level and fields: a module evaluated twice) is
 * accepted and changes nothing.
 * @throws DmasimError DMASIM_BAD_EVENT_KIND if a spec is malformed, if a name is a core kind
 *   or is declared already in another way, or if two names hash to the same code
 */
export function registerKinds(
  owner: string,
  specs: readonly (readonly [string, EventKindSpec])[],
): RegisteredKind[] {
  if (owner === '') refuse('defineEventKinds needs an owner: the name of the declaring module');
  const fresh = new Map<number, RegisteredKind>();
  const out: RegisteredKind[] = [];
  for (const [name, spec] of specs) {
    checkSpec(owner, name, spec);
    const kind: RegisteredKind = {
      name,
      code: declaredKindCode(name),
      level: spec.level,
      fields: [...spec.fields],
      owner,
    };
    const known = byName.get(name);
    if (known !== undefined) {
      if (known.owner === 'core')
        refuse(`event kind '${name}' is a core kind: choose another name`);
      if (!sameKind(known, kind))
        refuse(
          `event kind '${name}' is declared by '${known.owner}' already ` +
            `(level ${known.level}, fields ${known.fields.join(', ') || 'none'}): ` +
            `'${owner}' must give its kind another name`,
        );
      out.push(known);
      continue;
    }
    const taken = byCode.get(kind.code) ?? fresh.get(kind.code);
    if (taken !== undefined)
      refuse(
        `event kind '${name}' (declared by '${owner}') hashes to code ${kind.code}, which ` +
          `'${taken.name}' (declared by '${taken.owner}') has: rename one of them`,
      );
    fresh.set(kind.code, kind);
    out.push(kind);
  }
  for (const kind of fresh.values()) add(kind);
  return out;
}

function sameKind(a: RegisteredKind, b: RegisteredKind): boolean {
  return (
    a.owner === b.owner &&
    a.level === b.level &&
    a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f === b.fields[i])
  );
}
