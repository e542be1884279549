import { describe, it, expect } from 'vitest';
import { RUN_OPTION_DEFS, type ParamDef } from '../../src/index.js';
import { parseArgv } from '../../src/cli/argv.js';
import type { Catalog, ScenarioSchema } from '../../src/cli/catalog.js';

const def = (key: string, flag: string, kind: ParamDef['kind']): ParamDef => ({
  key,
  flag,
  kind,
  default: undefined,
  help: '',
});

const DMATEST: ScenarioSchema = {
  name: 'dmatest',
  params: [
    def('threadsPerChan', 'threads-per-chan', 'uint'),
    def('timeout', 'timeout', 'int'),
    def('channel', 'channel', 'string'),
    def('polled', 'polled', 'bool'),
    def('noverify', 'noverify', 'bool'),
  ],
};

const MATRIX: ScenarioSchema = {
  name: 'matrix',
  kind: 'composite',
  params: [def('seed', 'seed', 'uint'), def('duration', 'duration', 'uint')],
};

// A stand-in for the library's registry: the parser only sees what the catalog gives it.
const CATALOG: Catalog = {
  commandOptions: { campaign: [], shrink: [], profile: [] },
  runOptions: [def('seed', 'seed', 'uint'), def('ringCapacity', 'ring-capacity', 'uint')],
  scenarioNames: ['dmatest', 'matrix'],
  scenario(name) {
    const found = [DMATEST, MATRIX].find((s) => s.name === name);
    if (found) return found;
    throw Object.assign(new Error(`unknown scenario '${name}'; known scenarios: dmatest, matrix`), {
      code: 'DMASIM_UNKNOWN_SCENARIO',
    });
  },
};

const parse = (...argv: string[]) => parseArgv(argv, CATALOG);

function usageMessage(argv: string[]): string {
  const r = parseArgv(argv, CATALOG);
  if (r.kind !== 'usage-error') throw new Error(`expected a usage error, got ${JSON.stringify(r)}`);
  return r.message;
}

describe('parseArgv: commands and help', () => {
  it('shows the overview without a command, for help, --help and -h', () => {
    for (const argv of [[], ['help'], ['--help'], ['-h']]) {
      expect(parseArgv(argv, CATALOG)).toEqual({ kind: 'help', topic: {} });
    }
  });

  it("shows a command's help, and a scenario's", () => {
    expect(parse('list', '--help')).toEqual({ kind: 'help', topic: { command: 'list' } });
    expect(parse('help', 'showcase')).toEqual({ kind: 'help', topic: { command: 'showcase' } });
    const scenarioHelp = { kind: 'help', topic: { command: 'run', scenario: 'dmatest' } };
    expect(parse('run', 'dmatest', '--help')).toEqual(scenarioHelp);
    expect(parse('help', 'run', 'dmatest')).toEqual(scenarioHelp);
  });

  it('lets --help win over a bad option, but not over an unknown scenario', () => {
    expect(parse('run', 'dmatest', '--xyz', '--help')).toMatchObject({ kind: 'help' });
    expect(usageMessage(['run', 'nosuch', '--help'])).toContain('known scenarios: dmatest, matrix');
  });

  it('parses list, list --json, showcase and --version', () => {
    expect(parse('list')).toEqual({ kind: 'list', json: false });
    expect(parse('list', '--json')).toEqual({ kind: 'list', json: true });
    expect(parse('showcase')).toEqual({ kind: 'showcase' });
    expect(parse('--version')).toEqual({ kind: 'version' });
  });

  it('refuses unknown commands, stray arguments and switches a command does not take', () => {
    expect(usageMessage(['lst'])).toMatch(/^unknown command 'lst'.*did you mean list\?$/);
    expect(usageMessage(['list', 'extra'])).toMatch(/^unexpected argument 'extra' after list/);
    expect(usageMessage(['showcase', '--json'])).toMatch(/--json does not apply to showcase/);
    expect(usageMessage(['list', '--quiet'])).toMatch(/--quiet does not apply to list/);
    expect(usageMessage(['list', '--seed', '1'])).toMatch(/^unknown option --seed for list/);
    expect(usageMessage(['--json=yes', 'list'])).toMatch(/^--json takes no value/);
  });
});

describe('parseArgv: run', () => {
  const run = (options: Record<string, string>, extra: object = {}) => ({
    kind: 'run',
    scenario: 'dmatest',
    composite: false,
    options,
    json: false,
    quiet: false,
    ...extra,
  });

  it('maps kebab-case flags to ParamDef keys, with a separate or an inline value', () => {
    expect(parse('run', 'dmatest', '--threads-per-chan', '2', '--seed=7')).toEqual(
      run({ threadsPerChan: '2', seed: '7' }),
    );
  });

  it('passes values unchecked, including negative numbers and empty strings', () => {
    expect(parse('run', 'dmatest', '--timeout', '-1', '--channel', '', '--seed', 'x')).toEqual(
      run({ timeout: '-1', channel: '', seed: 'x' }),
    );
    expect(parse('run', 'dmatest', '--channel=')).toEqual(run({ channel: '' }));
  });

  it('reads bool flags alone, with a value, and negated', () => {
    expect(parse('run', 'dmatest', '--polled')).toEqual(run({ polled: '' }));
    expect(parse('run', 'dmatest', '--polled', 'false')).toEqual(run({ polled: 'false' }));
    expect(parse('run', 'dmatest', '--polled', '1', '--noverify=0')).toEqual(
      run({ polled: '1', noverify: '0' }),
    );
    expect(parse('run', 'dmatest', '--no-polled')).toEqual(run({ polled: 'false' }));
    // A word that is not a bool value is the next argument, not the flag's value.
    expect(usageMessage(['run', 'dmatest', '--polled', 'yes'])).toMatch(
      /unexpected argument 'yes'/,
    );
  });

  it('takes the output switches anywhere and run options before the scenario', () => {
    expect(parse('--json', 'run', '--seed', '3', 'dmatest', '-q')).toEqual(
      run({ seed: '3' }, { json: true, quiet: true }),
    );
  });

  it('lets the last of a repeated flag win', () => {
    expect(parse('run', 'dmatest', '--seed', '1', '--seed', '2')).toEqual(run({ seed: '2' }));
  });

  it('treats everything after -- as arguments', () => {
    expect(usageMessage(['run', 'dmatest', '--', '--seed'])).toMatch(
      /unexpected argument '--seed'/,
    );
  });

  it('names an unknown flag, the scenario and where to look, and suggests a near one', () => {
    expect(usageMessage(['run', 'dmatest', '--xyz', '3'])).toBe(
      'unknown option --xyz for scenario dmatest (see dmasim run dmatest --help)',
    );
    expect(usageMessage(['run', 'dmatest', '--thread-per-chan=3'])).toMatch(
      /^unknown option --thread-per-chan .*; did you mean --threads-per-chan\?$/,
    );
    expect(usageMessage(['run', 'dmatest', '--threadsPerChan', '3'])).toMatch(
      /did you mean --threads-per-chan\?$/,
    );
  });

  it('asks for the scenario first when a scenario flag comes before it', () => {
    expect(usageMessage(['run', '--polled', 'dmatest'])).toMatch(/put the scenario first/);
  });

  it('names a non-bool flag that misses its value', () => {
    expect(usageMessage(['run', 'dmatest', '--threads-per-chan'])).toMatch(
      /^--threads-per-chan needs a value/,
    );
    expect(usageMessage(['run', 'dmatest', '--seed', '--polled'])).toMatch(/^--seed needs a value/);
    expect(usageMessage(['run', 'dmatest', '--no-polled=1'])).toMatch(/--no-polled takes no value/);
  });

  it("reports a missing or unknown scenario with the library's list", () => {
    expect(usageMessage(['run'])).toMatch(/^missing scenario.*known scenarios: dmatest, matrix/);
    expect(usageMessage(['run', 'nosuch'])).toBe(
      "unknown scenario 'nosuch'; known scenarios: dmatest, matrix (see dmasim list)",
    );
  });

  it('lets errors other than an unknown scenario through', () => {
    const broken: Catalog = {
      ...CATALOG,
      scenario() {
        throw new TypeError('registry is broken');
      },
    };
    expect(() => parseArgv(['run', 'dmatest'], broken)).toThrow('registry is broken');
  });
});

describe('parseArgv: run <composite>', () => {
  const run = (options: Record<string, string>, json = false) => ({
    kind: 'run',
    scenario: 'matrix',
    composite: true,
    options,
    json,
    quiet: false,
  });

  it("takes the composite's own params, and --json", () => {
    expect(parse('run', 'matrix', '--duration', '300', '--seed=2', '--json')).toEqual(
      run({ duration: '300', seed: '2' }, true),
    );
    // A run option of the same key given before the name is the composite's own.
    expect(parse('run', '--seed', '4', 'matrix')).toEqual(run({ seed: '4' }));
  });

  it('shows its help', () => {
    const help = { kind: 'help', topic: { command: 'run', scenario: 'matrix' } };
    expect(parse('run', 'matrix', '--help')).toEqual(help);
    expect(parse('help', 'run', 'matrix')).toEqual(help);
  });

  it('names an unknown flag and suggests a near one', () => {
    expect(usageMessage(['run', 'matrix', '--bogus', '1'])).toBe(
      'unknown option --bogus for composite matrix (see dmasim run matrix --help)',
    );
    expect(usageMessage(['run', 'matrix', '--duraton', '1'])).toMatch(/did you mean --duration\?$/);
  });

  it('refuses run options, after its name or before, and --quiet', () => {
    const refused =
      'option --ring-capacity does not apply to composite matrix: it takes only its own options ' +
      '(see dmasim run matrix --help)';
    expect(usageMessage(['run', 'matrix', '--ring-capacity', '8'])).toBe(refused);
    expect(usageMessage(['run', '--ring-capacity', '8', 'matrix'])).toBe(refused);
    expect(usageMessage(['run', 'matrix', '-q'])).toMatch(
      /^option --quiet does not apply to composite matrix/,
    );
  });
});

describe('parseArgv: replay', () => {
  const catalog: Catalog = { ...CATALOG, runOptions: RUN_OPTION_DEFS };

  it('takes --replay-out, --deadline, --trace and --events-out', () => {
    const argv = [
      'replay',
      'r.json',
      '--trace',
      't.json',
      '--events-out=e.jsonl',
      '--deadline',
      '9',
    ];

    expect(parseArgv(argv, catalog)).toEqual({
      kind: 'replay',
      file: 'r.json',
      options: { trace: 't.json', eventsOut: 'e.jsonl', deadline: '9' },
      json: false,
    });
  });

  it('refuses the run options the file decides', () => {
    const message = 'unknown option --seed for replay: it takes --replay-out, --deadline, --trace';

    expect(parseArgv(['replay', 'r.json', '--seed', '3'], catalog)).toMatchObject({
      kind: 'usage-error',
      message: expect.stringContaining(message) as unknown,
    });
  });
});
