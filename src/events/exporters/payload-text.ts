import type { DmaEvent } from '../event.js';
import { kindNamed, registeredKinds, UNKNOWN_KIND, type RegisteredKind } from '../kind-registry.js';

type PayloadText = (e: DmaEvent) => string;

function writerOf(kind: RegisteredKind): PayloadText {
  const text = kind.fields.map((f) => `',"${f}":' + e.${f}`).join(' + ');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from a kind's declaration (field names are checked identifiers)
  return new Function('e', `return ${text || "''"};`) as PayloadText;
}

/** An unknown kind's record as it came: its code and its eight raw payload words. */
const unknownText: PayloadText = (e) =>
  e.kind === 'unknown' ? `,"code":${e.code},"words":[${e.words.join(',')}]` : '';

/**
 * One writer per kind, reading its fields by name: each sees objects of one shape and stays
 * fast, where one loop over field names would look every field up by a computed key. Kinds
 * declared after this module loaded get theirs when first met.
 */
const WRITERS = new Map<string, PayloadText>([
  ...registeredKinds().map((k): [string, PayloadText] => [k.name, writerOf(k)]),
  [UNKNOWN_KIND, unknownText],
]);

function writerFor(name: string): PayloadText {
  const kind = kindNamed(name);
  // The drain decodes only kinds the registry knows (or `unknown`), so this is a stray event.
  const writer = kind === undefined ? () => '' : writerOf(kind);
  WRITERS.set(name, writer);
  return writer;
}

/**
 * An event's payload as JSON members, each with its leading comma: `,"chan":0,"desc":3`
 * (the kind's fields, in declaration order; empty for a kind without fields). An `unknown`
 * event's are `,"code":N,"words":[...]`.
 */
export function payloadText(e: DmaEvent): string {
  return (WRITERS.get(e.kind) ?? writerFor(e.kind))(e);
}
