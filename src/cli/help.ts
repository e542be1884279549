import type { CompositeScenario, ParamDef, Scenario } from '../index.js';
import { scenarioOptionDefs, scenarioProviders } from '../index.js';
import type { HelpTopic } from './argv.js';
import { COMMANDS } from './command-table.js';
import { EXIT_CODE_HELP } from './exit-codes.js';
import { COMPOSITE_MARK, COMPOSITE_NOTE, compositeHelp } from './help-composite.js';
import { OUTPUT_ROWS, optionRows, valueSyntax } from './help-options.js';
import { definitionList, termWidth, wrap } from './layout.js';

/** What help texts are generated from. */
export interface HelpContext {
  scenarios: readonly Scenario[];
  /** Listed after the scenarios, marked as composites. */
  composites: readonly CompositeScenario[];
  runOptions: readonly ParamDef[];
  /** The own options of campaign, shrink and profile. */
  commandOptions: Record<'campaign' | 'shrink' | 'profile', readonly ParamDef[]>;
  /** Titles of the showcase's steps, in order. */
  showcaseSteps: readonly string[];
  /** Line width to wrap at. */
  width: number;
}

/** The exit-code table of a help page: the CLI's, or a command's own `rows`. */
function exitCodes(
  rows: readonly (readonly [string, string])[] = EXIT_CODE_HELP,
  width?: number,
): string[] {
  return ['Exit codes:', ...definitionList(rows, 2, width)];
}

/** The scenarios, then the composites marked as such, with the note on the mark. */
function scenarioList(ctx: HelpContext): string[] {
  const rows = [
    ...ctx.scenarios.map((s) => [s.name, s.summary] as const),
    ...ctx.composites.map((c) => [`${c.name} ${COMPOSITE_MARK}`, c.summary] as const),
  ];
  const note = ctx.composites.length > 0 ? wrap(COMPOSITE_NOTE, ctx.width - 2) : [];
  return [...definitionList(rows, 2, ctx.width), ...note.map((l) => `  ${l}`)];
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
    'Scenarios (dmasim run <scenario>):',
    ...scenarioList(ctx),
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
    '  dmasim run safe-prep-matrix --json',
    '  dmasim run config-race --api unsafe --mode controlled --strategy pct --seed 11',
    '  dmasim replay dmasim-replays/config-race-controlled-seed11.json',
  ];
}

function listHelp(ctx: HelpContext): string[] {
  return [
    'Usage: dmasim list [--json]',
    '',
    'Prints one line per scenario, then per composite: its name and what it does.',
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
        'kernel log and a summary. A composite runs a matrix of such runs and prints a table.',
      ctx.width,
    ),
    '',
    'Scenarios:',
    ...scenarioList(ctx),
    '',
    'Output:',
    ...definitionList([OUTPUT_ROWS.json, OUTPUT_ROWS.quiet], 2, ctx.width),
    '',
    `Run options (every scenario, not a composite ${COMPOSITE_MARK}):`,
    ...definitionList(optionRows(ctx.runOptions), 2, ctx.width),
    '',
    "A scenario's or composite's own parameters: dmasim run <scenario> --help",
    ...wrap(valueSyntax(ctx.runOptions), ctx.width),
    '',
    ...exitCodes(),
  ];
}

function scenarioHelp(ctx: HelpContext, name: string): string[] {
  const composite = ctx.composites.find((x) => x.name === name);
  if (composite) return compositeHelp(composite, ctx.width);
  const s = ctx.scenarios.find((x) => x.name === name);
  if (!s) return runHelp(ctx);
  const runRows = optionRows(ctx.runOptions, s);
  const ownRows = optionRows(s.params, s);
  const providers = scenarioProviders(s).map((p) => ({
    name: p.name,
    rows: optionRows(
      p.options.filter((d) => !s.params.some((x) => x.key === d.key)),
      s,
    ),
  }));
  const terms = termWidth([...runRows, ...ownRows, ...providers.flatMap((p) => p.rows)]);
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
    ...providers.flatMap((p) => [
      `${p.name} options (its controllers' provider):`,
      ...definitionList(p.rows, 2, ctx.width, terms),
      '',
    ]),
    ...wrap(valueSyntax([...ctx.runOptions, ...scenarioOptionDefs(s)]), ctx.width),
    '',
    ...exitCodes(),
  ];
}

function replayHelp(ctx: HelpContext): string[] {
  return [
    'Usage: dmasim replay <file> [--json] [--replay-out FILE] [--deadline MS] [--trace FILE] [--events-out FILE]',
    '',
    ...wrap(
      'Runs a failing run again from the replay file it left (dmasim run writes one for every ' +
        'run that finds violations, and prints where). A controlled run follows its recorded ' +
        'decisions and reproduces exactly; a free or chaos run follows the order of points it ' +
        'recorded, under the controlled scheduler, as far as that order can be followed.',
      ctx.width,
    ),
    '',
    'Options:',
    ...definitionList(
      [
        OUTPUT_ROWS.json,
        ['--replay-out FILE', 'write the replay file of this run (controlled, exact) to FILE'],
        ['--deadline MS', 'watchdog deadline in ms (default: 60 s)'],
        ['--trace FILE', 'write the timeline of this run (Chrome trace-event JSON) to FILE'],
        ['--events-out FILE', 'write every event of this run to FILE, one JSON object per line'],
      ],
      2,
      ctx.width,
    ),
    '',
    ...exitCodes(
      [
        ['0', 'the recorded violation was not found again'],
        ['1', 'the recorded violation was found again'],
        [
          '2',
          'the file is unreadable, corrupt, stale (another build) or names an unknown scenario',
        ],
        ['3', 'internal error: an actor crashed or the simulator failed'],
      ],
      ctx.width,
    ),
  ];
}

function campaignHelp(ctx: HelpContext): string[] {
  return [
    'Usage: dmasim campaign <scenario> --runs N [--workers K] [--shard i/n] [options]',
    '',
    ...wrap(
      'Runs the scenario with seeds --seed, --seed + 1, ... on actor threads reserved for ' +
        'the campaign and reused from run to run, several runs at once where the cores allow. ' +
        'Counts runs and failures by violation kind, groups failures by signature (kind and ' +
        'what it names: rule, lock class, result) and writes one replay file per distinct ' +
        'failure. --stop-on-first ends the campaign at its first failing run. Ctrl-C ends it ' +
        'with the summary so far. Any run option or scenario parameter applies to every run.',
      ctx.width,
    ),
    '',
    'Output:',
    ...definitionList(
      [
        [
          '--json',
          'print {"runs", "failures", "byKind", "distinct", "firstFailure", "runsPerSecond", ...}',
        ],
        ['-q, --quiet', 'no progress, only the summary'],
      ],
      2,
      ctx.width,
    ),
    '',
    'Campaign options:',
    ...definitionList(optionRows(ctx.commandOptions.campaign), 2, ctx.width),
    '',
    'Run options and scenario parameters: as dmasim run <scenario> --help lists them.',
    '',
    ...exitCodes(
      [
        ['0', 'no run failed'],
        ['1', 'at least one run found violations'],
        ['2', 'bad usage or input'],
        ['3', 'internal error: an actor crashed or the simulator failed'],
      ],
      ctx.width,
    ),
  ];
}

function mergeHelp(ctx: HelpContext): string[] {
  return [
    'Usage: dmasim merge <a.json> <b.json> ... [--json]',
    '',
    ...wrap(
      'Combines the --json results of campaign shards (dmasim campaign ... --shard i/n ' +
        '--json > i.json) into one summary, as if one campaign had run every seed. Results ' +
        'of different scenarios or options are refused.',
      ctx.width,
    ),
    '',
    ...exitCodes(
      [
        ['0', 'no run of any shard failed'],
        ['1', 'at least one run failed'],
        ['2', 'a file is unreadable, not a campaign result, or from another campaign'],
      ],
      ctx.width,
    ),
  ];
}

function shrinkHelp(ctx: HelpContext): string[] {
  const out = ctx.runOptions
    .filter((d) => d.key === 'replayOut')
    .map((d) => ({
      ...d,
      help: 'where the shrunk replay file goes (empty: <name>.shrunk.json next to the file)',
    }));
  const deadline = ctx.runOptions
    .filter((d) => d.key === 'deadline')
    .map((d) => ({
      ...d,
      help: 'wall time of the whole shrink in ms, then the smallest schedule so far is kept (0: none)',
    }));
  return [
    'Usage: dmasim shrink <file> [--json] [--replay-out FILE] [--trace FILE] [--max-runs N] [--kind KIND]',
    '',
    ...wrap(
      'Minimises the schedule of a failing controlled run (its replay file): delta debugging ' +
        'over the picks of its decision list, with fewer preemptions, fewer decisions and ' +
        'lower iteration and client counts, re-running each candidate on the controlled ' +
        'scheduler and keeping those that still fail with the same violation kind and are ' +
        'smaller (preemptions first, then decisions; never bigger than the recorded run). ' +
        'Writes the smallest failing replay file (default: <name>.shrunk.json next to the ' +
        'file), replays it as a check, and prints preemptions, decisions and context ' +
        "switches before and after. A free or chaos run's file is replayed first (its " +
        'recorded order of points, on the controlled scheduler) into <name>.controlled.json, ' +
        'and that schedule shrinks when its replay finds the recorded violation again.',
      ctx.width,
    ),
    '',
    'Options:',
    ...definitionList(
      [
        [
          '--json',
          'print {"before": {"decisions", "preemptions", "switches"}, "after": {...}, "replayFile", "kind", "scaled", "runs", "kept", "stoppedBy", "durationMs"}',
        ],
        ...optionRows(out),
        ...optionRows(deadline),
        ['--trace FILE', "write the shrunk schedule's timeline (Chrome trace-event JSON) to FILE"],
        ['--events-out FILE', "write the shrunk schedule's events to FILE, one JSON per line"],
        ...optionRows(ctx.commandOptions.shrink),
      ],
      2,
      ctx.width,
    ),
    '',
    ...exitCodes(
      [
        ['0', 'shrunk (the result, replayed, still fails the same way)'],
        [
          '2',
          'the file is unusable (unreadable, corrupt, stale), or its run (a free or chaos run: its controlled replay) does not fail when replayed',
        ],
        ['3', 'internal error'],
      ],
      ctx.width,
    ),
  ];
}

function profileHelp(ctx: HelpContext): string[] {
  return [
    'Usage: dmasim profile <scenario> [--tool cpu|doctor|flame|bubbleprof] [options]',
    '',
    ...wrap(
      'Profiles one run. --tool cpu writes one .cpuprofile per actor thread, named after the ' +
        "actor (cpu0, dma0), where the simulated kernel's work happens, and prints each " +
        "thread's CPU time. doctor, flame and bubbleprof run clinic.js on dmasim run: it sees " +
        "the host's main thread (event draining, checkers; doctor's CPU graph covers the whole " +
        'process, flame keeps one thread), not the actors in worker threads.',
      ctx.width,
    ),
    '',
    'Profile options:',
    ...definitionList(optionRows(ctx.commandOptions.profile), 2, ctx.width),
    '',
    'Run options and scenario parameters: as dmasim run <scenario> --help lists them.',
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
    ...exitCodes(
      [
        ['0', 'every step behaved as expected'],
        ['1', 'a step did not (its output says how)'],
        ['3', 'internal error: an actor crashed or the simulator failed'],
      ],
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
    case 'replay':
      lines = replayHelp(ctx);
      break;
    case 'campaign':
      lines = campaignHelp(ctx);
      break;
    case 'merge':
      lines = mergeHelp(ctx);
      break;
    case 'shrink':
      lines = shrinkHelp(ctx);
      break;
    case 'profile':
      lines = profileHelp(ctx);
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
