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
export type CommandName = 'list' | 'run' | 'replay' | 'showcase' | 'help';

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
