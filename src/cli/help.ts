import type { ParamDef, Scenario } from '../index.js';
import type { HelpTopic } from './argv.js';
import { COMMANDS } from './command-table.js';
import { EXIT_CODE_HELP } from './exit-codes.js';
import { definitionList, termWidth, wrap } from './layout.js';

/** What help texts are generated from. */
export interface HelpContext {
  scenarios: readonly Scenario[];
  runOptions: readonly ParamDef[];
  /** Titles of the showcase's steps, in order. */
  showcaseSteps: readonly string[];
  /** Line width to wrap at. */
  width: number;
}

const OUTPUT_ROWS = {
  json: ['--json', 'print the result as one JSON object on stdout and nothing else'],
  quiet: ['-q, --quiet', 'omit the kernel log (dmesg) and print only the summary'],
} as const;

const VALUE_SYNTAX =
  'Options take --flag value or --flag=value. A bool flag stands alone (--polled), takes ' +
  '=true/false/1/0, or is negated as --no-flag.';

function placeholder(def: ParamDef): string {
  switch (def.kind) {
    case 'uint':
      return ' <n>';
    case 'int':
      return ' <int>';
    case 'number':
      return ' <x>';
    case 'string':
      return ' <text>';
    case 'choice':
      return ` <${(def.choices ?? []).join('|')}>`;
    case 'bool':
      return '[=bool]';
    default: {
      const never: never = def.kind;
      return never;
    }
  }
}

function showValue(v: unknown): string {
  return v === '' ? 'empty' : String(v);
}

function range(def: ParamDef): string {
  if (def.kind !== 'uint' && def.kind !== 'int' && def.kind !== 'number') return '';
  const { min, max } = def;
  if (min !== undefined && max !== undefined) return `, ${min}..${max}`;
  if (max !== undefined) return `, <= ${max}`;
  if (min !== undefined && (def.kind !== 'uint' || min > 0)) return `, >= ${min}`;
  return '';
}

/** The default a scenario gives a run option, worded as the library applies it. */
function defaultText(def: ParamDef, scenario: Scenario | undefined): string {
  const own: unknown = scenario?.defaults[def.key as keyof Scenario['defaults']];
  if (own === undefined) return `default: ${showValue(def.default)}`;
  // The library drops a scenario's preferred duration/iterations once either is given.
  const other = def.key === 'duration' ? 'iterations' : def.key === 'iterations' ? 'duration' : '';
  if (other === '') return `default for ${scenario!.name}: ${showValue(own)}`;
  return `default for ${scenario!.name}: ${showValue(own)}, or ${showValue(def.default)} with --${other}`;
}

/** Help rows of parameter definitions: flag and value syntax, help, default and range. */
export function optionRows(
  defs: readonly ParamDef[],
  scenario?: Scenario,
): (readonly [string, string])[] {
  return defs.map((d) => [
    `--${d.flag}${placeholder(d)}`,
    `${d.help} [${defaultText(d, scenario)}${range(d)}]`,
  ]);
}

function exitCodes(): string[] {
  return ['Exit codes:', ...definitionList(EXIT_CODE_HELP)];
}

function overview(ctx: HelpContext): string[] {
  return [
    'dmasim - simulates the Linux DMA engine framework: DMA controllers and CPUs are',
    'worker-thread actors over shared memory; runs are checked for violations.',
    '',
    'Usage: dmasim <command> [options]',
    '',
    'Commands:',
    ...definitionList(
      COMMANDS.map((c) => [c.usage, c.summary]),
      2,
      ctx.width,
    ),
    '',
    'Options:',
    ...definitionList(
      [
        ['-h, --help', "show help; after a command, that command's help"],
        ['-V, --version', 'print the version'],
      ],
      2,
      ctx.width,
    ),
    '',
    ...exitCodes(),
    '',
    'Examples:',
    '  dmasim list',
    '  dmasim run dmatest --threads-per-chan 2 --iterations 100',
    '  dmasim run dmatest --corrupt 0.05 --json > result.json',
    '  dmasim run dmatest --help',
  ];
}

function listHelp(ctx: HelpContext): string[] {
  return [
    'Usage: dmasim list [--json]',
    '',
    'Prints one line per scenario: its name and what it does.',
    '',
    'Options:',
    ...definitionList([['--json', 'print [{"name", "summary"}] as JSON']], 2, ctx.width),
  ];
}

function runHelp(ctx: HelpContext): string[] {
  return [
    'Usage: dmasim run <scenario> [options]',
    '',
    ...wrap(
      'Runs a scenario on the simulated machine, checks it for violations, and prints the ' +
        'kernel log and a summary.',
      ctx.width,
    ),
    '',
    'Scenarios:',
    ...definitionList(
      ctx.scenarios.map((s) => [s.name, s.summary]),
      2,
      ctx.width,
    ),
    '',
    'Output:',
    ...definitionList([OUTPUT_ROWS.json, OUTPUT_ROWS.quiet], 2, ctx.width),
    '',
    'Run options (every scenario):',
    ...definitionList(optionRows(ctx.runOptions), 2, ctx.width),
    '',
    "A scenario's own parameters: dmasim run <scenario> --help",
    ...wrap(VALUE_SYNTAX, ctx.width),
    '',
    ...exitCodes(),
  ];
}

function scenarioHelp(ctx: HelpContext, name: string): string[] {
  const s = ctx.scenarios.find((x) => x.name === name);
  if (!s) return runHelp(ctx);
  const runRows = optionRows(ctx.runOptions, s);
  const ownRows = optionRows(s.params, s);
  const terms = termWidth([...runRows, ...ownRows]);
  return [
    `Usage: dmasim run ${s.name} [options]`,
    '',
    ...wrap(`${s.name}: ${s.summary}`, ctx.width),
    '',
    'Output:',
    ...definitionList([OUTPUT_ROWS.json, OUTPUT_ROWS.quiet], 2, ctx.width),
    '',
    'Run options (every scenario):',
    ...definitionList(runRows, 2, ctx.width, terms),
    '',
    `${s.name} parameters:`,
    ...(ownRows.length > 0 ? definitionList(ownRows, 2, ctx.width, terms) : ['  (none)']),
    '',
    ...wrap(VALUE_SYNTAX, ctx.width),
    '',
    ...exitCodes(),
  ];
}

function showcaseHelp(ctx: HelpContext): string[] {
  return [
    'Usage: dmasim showcase',
    '',
    ...wrap(
      'A guided tour. Runs these steps in order, explaining each before it starts and ' +
        'checking that it behaves as expected:',
      ctx.width,
    ),
    ...ctx.showcaseSteps.map((t, i) => `  ${i + 1}. ${t}`),
    '',
    'Exit codes:',
    ...definitionList(
      [
        ['0', 'every step behaved as expected'],
        ['1', 'a step did not (its output says how)'],
        ['3', 'internal error: an actor crashed or the simulator failed'],
      ],
      2,
      ctx.width,
    ),
  ];
}

function helpHelp(): string[] {
  return [
    'Usage: dmasim help [command] [scenario]',
    '',
    'Shows the overview, a command\'s help, or with "run <scenario>" that scenario\'s options.',
    'The same as dmasim [command] [scenario] --help.',
  ];
}

/** The help text of a topic, ending with a newline. */
export function helpText(topic: HelpTopic, ctx: HelpContext): string {
  let lines: string[];
  switch (topic.command) {
    case undefined:
      lines = overview(ctx);
      break;
    case 'list':
      lines = listHelp(ctx);
      break;
    case 'run':
      lines = topic.scenario === undefined ? runHelp(ctx) : scenarioHelp(ctx, topic.scenario);
      break;
    case 'showcase':
      lines = showcaseHelp(ctx);
      break;
    case 'help':
      lines = helpHelp();
      break;
    default: {
      const never: never = topic.command;
      lines = never;
    }
  }
  return `${lines.join('\n')}\n`;
}
