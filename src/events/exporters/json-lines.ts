import type { DmaEvent } from '../event.js';

/**
 * One event as a line of JSON lines (`--events-out`): the object the stream delivers, so a
 * script reading the file sees what a subscriber to `events$` sees.
 */
export function jsonLine(e: DmaEvent): string {
  return `${JSON.stringify(e)}\n`;
}
