import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { definitionList } from '../layout.js';

/**
 * `dmasim list`: each entry's name and summary, as text or as JSON.
 * @param scenarios the scenarios, then the composites
 */
export function listCommand(
  scenarios: readonly { name: string; summary: string }[],
  opts: { json: boolean },
  io: Output,
): ExitCode {
  if (opts.json) {
    const list = scenarios.map((s) => ({ name: s.name, summary: s.summary }));
    io.out(`${JSON.stringify(list, null, 2)}\n`);
  } else {
    const rows = scenarios.map((s) => [s.name, s.summary] as const);
    io.out(`${definitionList(rows, 0, io.width).join('\n')}\n`);
  }
  return EXIT.OK;
}
