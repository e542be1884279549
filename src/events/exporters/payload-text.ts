import type { DmaEvent } from '../event.js';
import { EVENT_KINDS, EVENT_TABLE } from '../kinds.js';

type PayloadText = (e: DmaEvent) => string;

/**
 * One writer per kind, reading its fields by name: each sees objects of one shape and stays
 * fast, where one loop over field names would look every field up by a computed key.
 */
const WRITERS = new Map<string, PayloadText>(
  EVENT_KINDS.map((kind) => {
    const text = EVENT_TABLE[kind].fields.map((f) => `',"${f}":' + e.${f}`).join(' + ');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the constant EVENT_TABLE
    return [kind, new Function('e', `return ${text || "''"};`) as PayloadText];
  }),
);

/**
 * An event's payload as JSON members, each with its leading comma: `,"chan":0,"desc":3`
 * (the kind's fields, in EVENT_TABLE order; empty for a kind without fields).
 */
export function payloadText(e: DmaEvent): string {
  return WRITERS.get(e.kind)!(e);
}
