import type { DmaEvent } from '../event.js';
import { payloadText } from './payload-text.js';
import { msText, toNs } from './time-text.js';

const quoted = new Map<string, string>();

/**
 * One event as a line of JSON lines (`--events-out`): the object the stream delivers, in
 * its key order, `time` to the ns.
 */
export function jsonLine(e: DmaEvent): string {
  let actor = quoted.get(e.actor);
  if (actor === undefined) quoted.set(e.actor, (actor = JSON.stringify(e.actor)));
  const time = msText(toNs(e.time));
  return `{"seq":${e.seq},"time":${time},"actor":${actor},"context":"${e.context}","kind":"${e.kind}"${payloadText(e)}}\n`;
}
