import type { CompositeScenario } from '../index.js';
import { OUTPUT_ROWS, optionRows, valueSyntax } from './help-options.js';
import { definitionList, wrap } from './layout.js';

/** How the scenario lists mark a composite, after its name. */
export const COMPOSITE_MARK = '(matrix)';

/** The note that explains COMPOSITE_MARK under a scenario list. */
export const COMPOSITE_NOTE =
  `${COMPOSITE_MARK}: a composite. It runs a scenario in several variants and prints a table ` +
  'of what each found; it takes only its own options, not the run options.';

// A composite passes when each cell finds what its variant should, violations included.
const EXIT_ROWS: readonly (readonly [string, string])[] = [
  ['0', 'every cell found what its variant is expected to find'],
  ['1', 'some cell did not (its row in the table says how)'],
  ['2', 'bad usage or input: unknown option or a bad value'],
  ['3', 'internal error: the simulator failed'],
];

/** The lines of `dmasim run <composite> --help`. */
export function compositeHelp(c: CompositeScenario, width: number): string[] {
  const own = optionRows(c.params);
  return [
    `Usage: dmasim run ${c.name} [options]`,
    '',
    ...wrap(`${c.name}: ${c.summary}`, width),
    '',
    ...wrap(COMPOSITE_NOTE, width),
    '',
    'Output:',
    ...definitionList([OUTPUT_ROWS.json], 2, width),
    '',
    `${c.name} parameters:`,
    ...(own.length > 0 ? definitionList(own, 2, width) : ['  (none)']),
    '',
    ...wrap(valueSyntax(c.params), width),
    '',
    'Exit codes:',
    ...definitionList(EXIT_ROWS, 2, width),
  ];
}
