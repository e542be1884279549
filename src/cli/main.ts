#!/usr/bin/env node
import {
  CAMPAIGN_OPTION_DEFS,
  COMPOSITES,
  PROFILE_OPTION_DEFS,
  SHRINK_OPTION_DEFS,
  getScenarioOrComposite,
  scenarioOptionDefs,
  RUN_OPTION_DEFS,
  SCENARIOS,
  shutdownActorPool,
  type Scenario,
} from '../index.js';
import { parseArgv, type Command, type UsageError } from './argv.js';
import { withUserScenario } from './user-scenario.js';
import type { Catalog } from './catalog.js';
import { listCommand } from './commands/list.js';
import { runCompositeCommand } from './commands/run-composite.js';
import { runCommand } from './commands/run.js';
import { replayCommand } from './commands/replay.js';
import { showcaseCommand } from './commands/showcase.js';
import { campaignCommand } from './commands/campaign.js';
import { mergeCommand } from './commands/merge.js';
import { shrinkCommand } from './commands/shrink.js';
import { profileCommand } from './commands/profile.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { describeFailure } from './failure.js';
import { helpText } from './help.js';
import { processOutput, type Output } from './io.js';
import { SHOWCASE_STEPS } from './showcase/steps.js';
import { packageVersion } from '../version.js';

/** If something still holds the event loop this long after the end, exit anyway. */
const LINGER_MS = 5000;

const COMMAND_OPTIONS = {
  campaign: CAMPAIGN_OPTION_DEFS,
  shrink: SHRINK_OPTION_DEFS,
  profile: PROFILE_OPTION_DEFS,
};

const CATALOG: Catalog = {
  runOptions: RUN_OPTION_DEFS,
  commandOptions: COMMAND_OPTIONS,
  scenarioNames: [...SCENARIOS, ...COMPOSITES].map((s) => s.name),
  scenario: (name) => {
    const s = getScenarioOrComposite(name);
    // A scenario's flags include its providers' options (vdma's --bandwidth, ...).
    return 'kind' in s ? s : { ...s, params: scenarioOptionDefs(s) };
  },
};

async function execute(
  cmd: Command | UsageError,
  io: Output,
  userScenario: Scenario | null,
): Promise<ExitCode> {
  switch (cmd.kind) {
    case 'usage-error':
      io.err(`dmasim: ${cmd.message}\n`);
      return EXIT.USAGE;
    case 'help':
      io.out(
        helpText(cmd.topic, {
          scenarios: userScenario ? [...SCENARIOS, userScenario] : SCENARIOS,
          composites: COMPOSITES,
          runOptions: RUN_OPTION_DEFS,
          commandOptions: COMMAND_OPTIONS,
          showcaseSteps: SHOWCASE_STEPS.map((s) => s.title),
          width: io.width,
        }),
      );
      return EXIT.OK;
    case 'version':
      io.out(`dmasim ${packageVersion()}\n`);
      return EXIT.OK;
    case 'list':
      return listCommand([...SCENARIOS, ...COMPOSITES], cmd, io);
    case 'run':
      return cmd.composite ? runCompositeCommand(cmd, io) : runCommand(cmd, io);
    case 'replay':
      return replayCommand(cmd, io);
    case 'campaign':
      return campaignCommand(cmd, io);
    case 'merge':
      return mergeCommand(cmd, io);
    case 'shrink':
      return shrinkCommand(cmd, io);
    case 'profile':
      return profileCommand(cmd, io);
    case 'showcase':
      return showcaseCommand(SHOWCASE_STEPS, io);
    default: {
      const never: never = cmd;
      return never;
    }
  }
}

async function main(): Promise<void> {
  const io = processOutput();
  let code: ExitCode = EXIT.INTERNAL;
  let see = 'dmasim --help';
  try {
    const argv = process.argv.slice(2);
    // A scenario given as a path is loaded first: its flags are the parser's to know.
    const user = await withUserScenario(argv, CATALOG);
    const cmd = parseArgv(argv, user.catalog);
    if (cmd.kind === 'run') see = `dmasim run ${cmd.scenario} --help`;
    else if (cmd.kind === 'campaign' || cmd.kind === 'profile') {
      see = `dmasim ${cmd.kind} --help; dmasim run ${cmd.scenario} --help for its options`;
    } else if (cmd.kind === 'shrink' || cmd.kind === 'merge') see = `dmasim ${cmd.kind} --help`;
    code = await execute(cmd, io, user.scenario);
  } catch (err) {
    const failure = describeFailure(err, see);
    io.err(failure.text);
    code = failure.code;
  } finally {
    // Pool threads keep the process alive until they are destroyed, whatever happened.
    try {
      await shutdownActorPool();
    } catch (err) {
      io.err(describeFailure(err, see).text);
      code = EXIT.INTERNAL;
    }
  }
  process.exitCode = code;
  setTimeout(() => {
    io.err(`dmasim: warning: the process did not exit ${LINGER_MS} ms after the end; forcing it\n`);
    process.exit(code);
  }, LINGER_MS).unref();
  // stdout writes may still be under way (a pipe, a slow disk): output that could not be
  // written is a failed command, whatever the run found.
  if (await io.flushed()) {
    code = EXIT.INTERNAL;
    process.exitCode = code;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`dmasim: internal error: ${String(err)}\n`);
  process.exitCode = EXIT.INTERNAL;
});
