/** The output switches a command may accept besides --help. */
export type OutputFlag = 'json' | 'quiet';

/** One CLI command as usage and help describe it. */
export interface CommandInfo {
  name: CommandName;
  /** Synopsis after `dmasim `. */
  usage: string;
  /** One line for the overview. */
  summary: string;
  /** Output switches this command accepts. */
  flags: readonly OutputFlag[];
}

/** The names of the CLI's commands. */
export type CommandName =
  'list' | 'run' | 'replay' | 'campaign' | 'merge' | 'shrink' | 'profile' | 'showcase' | 'help';

/** The commands, in the order the overview lists them. */
export const COMMANDS: readonly CommandInfo[] = [
  {
    name: 'list',
    usage: 'list [--json]',
    summary: 'list the scenarios and composites',
    flags: ['json'],
  },
  {
    name: 'run',
    usage: 'run <scenario> [options]',
    summary: 'run a scenario or a composite (a matrix of runs) and check it',
    flags: ['json', 'quiet'],
  },
  {
    name: 'replay',
    usage: 'replay <file> [--json] [--replay-out FILE]',
    summary:
      'run a failing run again from its replay file; exit 1 when the recorded violation is found again',
    flags: ['json'],
  },
  {
    name: 'campaign',
    usage: 'campaign <scenario> --runs N [--workers K] [--shard i/n] [options]',
    summary:
      'run many seeds on reused actor threads; count failures by kind and keep one replay file per distinct failure',
    flags: ['json', 'quiet'],
  },
  {
    name: 'merge',
    usage: 'merge <a.json> <b.json> ... [--json]',
    summary: 'combine the --json results of campaign shards into one summary',
    flags: ['json'],
  },
  {
    name: 'shrink',
    usage: 'shrink <file> [--json] [--replay-out FILE] [--kind KIND]',
    summary:
      'cut a failing controlled schedule down to the fewest preemptions that still fail the same way',
    flags: ['json'],
  },
  {
    name: 'profile',
    usage: 'profile <scenario> [--tool cpu|doctor|flame|bubbleprof] [options]',
    summary: 'profile a run: a .cpuprofile per actor thread, or clinic.js on the main thread',
    flags: ['json'],
  },
  {
    name: 'showcase',
    usage: 'showcase',
    summary:
      'a guided tour: a clean dmatest run, a corrupting engine that verification catches, ' +
      'and the safe-prep matrix',
    flags: [],
  },
  {
    name: 'help',
    usage: 'help [command] [scenario]',
    summary: "show a command's help (help run <scenario>: its options)",
    flags: [],
  },
];

/** The command called `name`, if there is one. */
export function findCommand(name: string): CommandInfo | undefined {
  return COMMANDS.find((c) => c.name === name);
}
