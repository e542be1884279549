import { lookUp, type Catalog, type ScenarioSchema } from './catalog.js';
import { COMMANDS, findCommand, type CommandName, type OutputFlag } from './command-table.js';
import { suggest } from './suggest.js';
import type { ParamDef } from '../index.js';

/** What help was asked for: the overview, a command, or `run <scenario>`. */
export interface HelpTopic {
  command?: CommandName;
  scenario?: string;
}

/** A successfully parsed command line. */
export type Command =
  | { kind: 'help'; topic: HelpTopic }
  | { kind: 'version' }
  | { kind: 'list'; json: boolean }
  | {
      kind: 'run';
      scenario: string;
      /** Whether `scenario` names a composite rather than a scenario. */
      composite: boolean;
      /** Raw CLI values keyed by ParamDef.key; a bool flag given alone is ''. */
      options: Record<string, string>;
      json: boolean;
      quiet: boolean;
    }
  | { kind: 'showcase' }
  | {
      kind: 'replay';
      file: string;
      /** Raw CLI values keyed by ParamDef.key (--replay-out, --deadline, --trace, --events-out). */
      options: Record<string, string>;
      json: boolean;
    }
  | {
      kind: 'campaign';
      scenario: string;
      /** Raw CLI values: run options, scenario parameters and campaign options. */
      options: Record<string, string>;
      json: boolean;
      quiet: boolean;
    }
  | { kind: 'merge'; files: string[]; json: boolean }
  | {
      kind: 'shrink';
      file: string;
      /** Raw CLI values: the replay options and the shrink options. */
      options: Record<string, string>;
      json: boolean;
    }
  | {
      kind: 'profile';
      scenario: string;
      /** Raw CLI values: run options, scenario parameters and profile options. */
      options: Record<string, string>;
      json: boolean;
    };

/** A command line that cannot be run: exit code 2, `message` on stderr. */
export interface UsageError {
  kind: 'usage-error';
  message: string;
}

/** Flags every command understands, and the output switches, by spelling. */
const SWITCHES = new Map<string, 'help' | 'version' | OutputFlag>([
  ['--help', 'help'],
  ['-h', 'help'],
  ['--version', 'version'],
  ['-V', 'version'],
  ['--json', 'json'],
  ['--quiet', 'quiet'],
  ['-q', 'quiet'],
]);

const BOOL_WORDS = new Set(['true', 'false', '1', '0']);

/** Mutable state of one parse. */
interface State {
  switches: Set<'help' | 'version' | OutputFlag>;
  positionals: string[];
  options: Record<string, string>;
  scenario: ScenarioSchema | undefined;
  /** The first problem found; parsing goes on so that a later --help still wins. */
  error: string | undefined;
}

function didYouMean(word: string, candidates: readonly string[], prefix = ''): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : `; did you mean ${prefix}${s}?`;
}

/** The run options `dmasim replay` takes (the rest come from the file). */
export const REPLAY_OPTION_KEYS = ['replayOut', 'deadline', 'trace', 'eventsOut'];

/** The commands whose flags are options with values (ParamDefs). */
type OptionCommand = 'run' | 'replay' | 'campaign' | 'shrink' | 'profile';

/** The commands that take a scenario as their first word. */
const SCENARIO_COMMANDS: readonly string[] = ['run', 'campaign', 'profile'];

/** The options `command` accepts, given the scenario parsed so far. */
function optionDefs(command: OptionCommand, st: State, catalog: Catalog): readonly ParamDef[] {
  const replayDefs = REPLAY_OPTION_KEYS.flatMap((k) =>
    catalog.runOptions.filter((d) => d.key === k),
  );
  switch (command) {
    case 'replay':
      return replayDefs;
    case 'shrink':
      return [...replayDefs, ...catalog.commandOptions.shrink];
    case 'run':
      return st.scenario
        ? [...(st.scenario.kind === 'composite' ? [] : catalog.runOptions), ...st.scenario.params]
        : catalog.runOptions;
    case 'campaign':
    case 'profile':
      return [
        ...catalog.runOptions,
        ...(st.scenario && st.scenario.kind !== 'composite' ? st.scenario.params : []),
        ...catalog.commandOptions[command],
      ];
    default: {
      const never: never = command;
      return never;
    }
  }
}

/** Parses `--name[=value]` of an option, consuming the next token as value if it needs. */
function runOption(
  argv: readonly string[],
  i: number,
  st: State,
  catalog: Catalog,
  command: OptionCommand = 'run',
): number {
  const tok = argv[i]!;
  const eq = tok.indexOf('=');
  const name = tok.slice(2, eq < 0 ? undefined : eq);
  const inline = eq < 0 ? undefined : tok.slice(eq + 1);
  const defs = optionDefs(command, st, catalog);
  let def = defs.find((d) => d.flag === name);
  let negated = false;
  if (!def && name.startsWith('no-')) {
    def = defs.find((d) => d.flag === name.slice(3) && d.kind === 'bool');
    negated = def !== undefined;
  }
  const where = st.scenario ? ` for ${st.scenario.kind ?? 'scenario'} ${st.scenario.name}` : '';
  const see =
    command === 'run'
      ? `dmasim run ${st.scenario?.name ?? '<scenario>'} --help`
      : `dmasim ${command} --help`;
  if (!def && (command === 'replay' || command === 'shrink')) {
    const hint = didYouMean(
      name,
      defs.map((d) => d.flag),
      '--',
    );
    const takes = defs.map((d) => `--${d.flag}`).join(', ');
    st.error ??= `unknown option --${name} for ${command}: it takes ${takes}, the rest comes from the file (see ${see})${hint}`;
    return i;
  }
  if (!def) {
    if (!st.scenario) {
      st.error ??= `unknown option --${name}: put the scenario first, as in dmasim ${command} <scenario> [options] (see dmasim list)`;
    } else if (
      st.scenario.kind === 'composite' &&
      catalog.runOptions.some((d) => d.flag === name)
    ) {
      st.error ??= notForComposite(name, st.scenario.name);
    } else {
      const hint = didYouMean(
        name,
        defs.map((d) => d.flag),
        '--',
      );
      st.error ??= `unknown option --${name}${where} (see ${see})${hint}`;
    }
    return i;
  }
  if (negated) {
    if (inline !== undefined) st.error ??= `--${name} takes no value (see ${see})`;
    else st.options[def.key] = 'false';
    return i;
  }
  if (inline !== undefined) {
    st.options[def.key] = inline;
    return i;
  }
  const next = argv[i + 1];
  if (def.kind === 'bool') {
    if (next !== undefined && BOOL_WORDS.has(next)) {
      st.options[def.key] = next;
      return i + 1;
    }
    st.options[def.key] = '';
    return i;
  }
  if (next === undefined || next.startsWith('--')) {
    st.error ??= `--${name} needs a value: --${name} <value> or --${name}=<value> (see ${see})`;
    return i;
  }
  st.options[def.key] = next;
  return i + 1;
}

/** Validates a help topic: the command and, for `run`, the scenario must exist. */
function helpTopic(words: readonly string[], catalog: Catalog): Command | UsageError {
  const [name, scenario] = words;
  if (name === undefined) return { kind: 'help', topic: {} };
  const cmd = findCommand(name);
  if (!cmd) return unknownCommand(name);
  if (cmd.name !== 'run' || scenario === undefined)
    return { kind: 'help', topic: { command: cmd.name } };
  const found = lookUp(catalog, scenario);
  if (typeof found === 'string') return { kind: 'usage-error', message: found };
  return { kind: 'help', topic: { command: 'run', scenario: found.name } };
}

function unknownCommand(name: string): UsageError {
  const names = COMMANDS.map((c) => c.name);
  return {
    kind: 'usage-error',
    message:
      `unknown command '${name}'; commands: ${names.join(', ')} (see dmasim --help)` +
      didYouMean(name, names),
  };
}

/** Checks the output switches against what `command` accepts. */
function switchesFor(command: CommandName, st: State): UsageError | undefined {
  const accepted = findCommand(command)?.flags ?? [];
  for (const flag of ['json', 'quiet'] as const) {
    if (st.switches.has(flag) && !accepted.includes(flag)) {
      return {
        kind: 'usage-error',
        message: `option --${flag} does not apply to ${command} (see dmasim ${command} --help)`,
      };
    }
  }
  return undefined;
}

/** Why a composite refuses `--flag`. */
function notForComposite(
  flag: string,
  composite: string,
  why = 'it takes only its own options',
): string {
  return `option --${flag} does not apply to composite ${composite}: ${why} (see dmasim run ${composite} --help)`;
}

/**
 * What a composite refuses: run options (given before its name, where they are read as run
 * options) and --quiet, as it has no kernel log to omit.
 */
function compositeMisuse(
  composite: ScenarioSchema,
  st: State,
  catalog: Catalog,
): string | undefined {
  const own = new Set(composite.params.map((d) => d.key));
  const foreign = Object.keys(st.options).find((key) => !own.has(key));
  if (foreign !== undefined) {
    const flag = catalog.runOptions.find((d) => d.key === foreign)?.flag ?? foreign;
    return notForComposite(flag, composite.name);
  }
  if (st.switches.has('quiet')) {
    return notForComposite('quiet', composite.name, 'it prints only its table');
  }
  return undefined;
}

function isOptionCommand(command: string | undefined): command is OptionCommand {
  return (
    command === 'run' ||
    command === 'replay' ||
    command === 'campaign' ||
    command === 'shrink' ||
    command === 'profile'
  );
}

/** The scenario a campaign or profile names: a scenario, not a composite. */
function scenarioOf(
  command: 'campaign' | 'profile',
  st: State,
  catalog: Catalog,
): string | UsageError {
  if (!st.scenario) {
    return {
      kind: 'usage-error',
      message:
        `missing scenario: dmasim ${command} <scenario> [options]; known scenarios: ` +
        `${catalog.scenarioNames.join(', ')} (see dmasim list)`,
    };
  }
  if (st.scenario.kind === 'composite') {
    return {
      kind: 'usage-error',
      message: `${command} takes a scenario, not the composite ${st.scenario.name} (see dmasim ${command} --help)`,
    };
  }
  return st.scenario.name;
}

function unexpected(command: string, word: string): UsageError {
  return {
    kind: 'usage-error',
    message: `unexpected argument '${word}' after ${command} (see dmasim ${command} --help)`,
  };
}

/**
 * Parses the command line (without `node` and the script path). Pure: the result depends
 * only on `argv` and `catalog`. Values are not checked here; the library checks them when
 * the run starts.
 */
export function parseArgv(argv: readonly string[], catalog: Catalog): Command | UsageError {
  const st: State = {
    switches: new Set(),
    positionals: [],
    options: {},
    scenario: undefined,
    error: undefined,
  };
  let endOfOptions = false;
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (endOfOptions || tok === '-' || !tok.startsWith('-')) {
      st.positionals.push(tok);
      if (SCENARIO_COMMANDS.includes(st.positionals[0]!) && st.positionals.length === 2) {
        const found = lookUp(catalog, tok);
        if (typeof found === 'string') st.error ??= found;
        else st.scenario = found;
      }
      continue;
    }
    if (tok === '--') {
      endOfOptions = true;
      continue;
    }
    const name = tok.split('=', 1)[0]!;
    const sw = SWITCHES.get(name);
    if (sw) {
      if (name !== tok) st.error ??= `${name} takes no value (see dmasim --help)`;
      st.switches.add(sw);
      continue;
    }
    const command = st.positionals[0];
    if (isOptionCommand(command) && tok.startsWith('--')) {
      i = runOption(argv, i, st, catalog, command);
      continue;
    }
    const cmd = command === undefined ? undefined : findCommand(command);
    st.error ??= cmd
      ? `unknown option ${name} for ${cmd.name} (see dmasim ${cmd.name} --help)`
      : `unknown option ${name} (see dmasim --help)`;
  }

  const [command, ...rest] = st.positionals;
  if (st.switches.has('help')) {
    if (command === 'help') return helpTopic(rest, catalog);
    return helpTopic(command === undefined ? [] : [command, ...rest.slice(0, 1)], catalog);
  }
  if (st.error !== undefined) return { kind: 'usage-error', message: st.error };
  if (st.switches.has('version')) return { kind: 'version' };
  if (command === undefined) {
    if (st.switches.size > 0) {
      return { kind: 'usage-error', message: 'missing command (see dmasim --help)' };
    }
    return { kind: 'help', topic: {} };
  }
  const cmd = findCommand(command);
  if (!cmd) return unknownCommand(command);
  const bad = switchesFor(cmd.name, st);
  if (bad) return bad;
  switch (cmd.name) {
    case 'help':
      return helpTopic(rest, catalog);
    case 'list':
      if (rest[0] !== undefined) return unexpected('list', rest[0]);
      return { kind: 'list', json: st.switches.has('json') };
    case 'showcase':
      if (rest[0] !== undefined) return unexpected('showcase', rest[0]);
      return { kind: 'showcase' };
    case 'replay': {
      const file = rest[0];
      if (file === undefined) {
        return {
          kind: 'usage-error',
          message: 'missing replay file: dmasim replay <file> [--json] (see dmasim replay --help)',
        };
      }
      if (rest[1] !== undefined) return unexpected(`replay ${file}`, rest[1]);
      return { kind: 'replay', file, options: st.options, json: st.switches.has('json') };
    }
    case 'campaign':
    case 'profile': {
      const scenario = scenarioOf(cmd.name, st, catalog);
      if (typeof scenario !== 'string') return scenario;
      if (rest[1] !== undefined) return unexpected(`${cmd.name} ${scenario}`, rest[1]);
      const json = st.switches.has('json');
      return cmd.name === 'campaign'
        ? { kind: 'campaign', scenario, options: st.options, json, quiet: st.switches.has('quiet') }
        : { kind: 'profile', scenario, options: st.options, json };
    }
    case 'merge':
      if (rest.length === 0) {
        return {
          kind: 'usage-error',
          message:
            'missing campaign results: dmasim merge a.json b.json ... (see dmasim merge --help)',
        };
      }
      return { kind: 'merge', files: rest, json: st.switches.has('json') };
    case 'shrink': {
      const file = rest[0];
      if (file === undefined) {
        return {
          kind: 'usage-error',
          message: 'missing replay file: dmasim shrink <file> [--json] (see dmasim shrink --help)',
        };
      }
      if (rest[1] !== undefined) return unexpected(`shrink ${file}`, rest[1]);
      return { kind: 'shrink', file, options: st.options, json: st.switches.has('json') };
    }
    case 'run': {
      if (!st.scenario) {
        return {
          kind: 'usage-error',
          message:
            `missing scenario: dmasim run <scenario> [options]; known scenarios: ` +
            `${catalog.scenarioNames.join(', ')} (see dmasim list)`,
        };
      }
      if (rest[1] !== undefined) return unexpected(`run ${st.scenario.name}`, rest[1]);
      const composite = st.scenario.kind === 'composite';
      const misuse = composite ? compositeMisuse(st.scenario, st, catalog) : undefined;
      if (misuse !== undefined) return { kind: 'usage-error', message: misuse };
      return {
        kind: 'run',
        scenario: st.scenario.name,
        composite,
        options: st.options,
        json: st.switches.has('json'),
        quiet: st.switches.has('quiet'),
      };
    }
    default: {
      const never: never = cmd.name;
      return never;
    }
  }
}
