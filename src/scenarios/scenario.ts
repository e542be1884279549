import type { Checker } from './checkers.js';
import type { ParamDef } from '../platform/param-schema.js';
import type { RunOptions } from './run-options.js';
import type { Machine, SafePrepLock } from '../shm/machine.js';
import type { ControllerUse } from '../platform/devices.js';
import type { ProviderModule } from '../platform/provider.js';
import type { StateUse } from '../shm/state-layout.js';
import type { PeripheralUse } from '../platform/peripheral.js';

/** The machine a scenario needs, decided on the host before any actor starts. */
export interface ScenarioPlan {
  /** Simulated CPUs; each runs `cpuProgram` once, then serves interrupts. */
  cpus: number;
  /**
   * The shared state the clients keep (declareState), laid out in the arena before any
   * thread starts; a per-'machine' state may say how many instances this run needs.
   */
  state?: readonly StateUse[];
  /** Arena bytes (test buffers, device windows). */
  arenaBytes: number;
  /** The flags that drive arenaBytes, named when a run would need more than an arena has. */
  arenaFlags?: readonly string[];
  /** CPU that channel `chan` (global index) interrupts. */
  irqCpu(chan: number, chanName: string): number;
  /**
   * The DMA controllers, each a provider of `Scenario.providers` with its options (a
   * variant: a bug or its fix). Default: --controllers controllers of --channels channels
   * of the scenario's first provider, with the options its flags set.
   */
  controllers?: readonly ControllerUse[];
  /** Devices on the far side of slave transfers, each an actor of its own. */
  peripherals?: readonly PeripheralUse[];
  /** Kernel settings this scenario chooses (a variant: a bug or its fix). */
  machine?: {
    safePrepLock?: SafePrepLock;
  };
}

/**
 * A named, parameterised composition: its parameters, the machine it needs, what each CPU
 * runs, how per-CPU results become the run's results, and which checkers watch it.
 * Everything here must be importable in every worker (programs run there).
 */
export interface Scenario {
  name: string;
  /**
   * For a scenario that is not built in: the URL (file://) of the ES module that exports it
   * as `scenario`. Workers import it from there. The loader sets it, when absent, to the URL
   * it imported the module from (`dmasim run ./x.ts`, `runScenario('./x.ts')`). The module
   * may be TypeScript or JavaScript (tsx loads it in every thread) and may import dmasim by
   * name from anywhere on disk.
   */
  module?: string;
  /** One line for `dmasim list`. */
  summary: string;
  params: readonly ParamDef[];
  /**
   * The providers its controllers may be (names of built-in ones, or module objects): their
   * options are flags of its runs. Default: `['vdma']`.
   */
  providers?: readonly (string | ProviderModule)[];
  /** Run-option defaults this scenario prefers (e.g. a duration, a mode). */
  defaults: Partial<RunOptions>;
  /**
   * Defaults that replace `defaults` when the run is controlled: a controlled run runs on
   * virtual time, one actor at a time, so it is bounded by iterations rather than by ms.
   */
  controlledDefaults?: Partial<RunOptions>;
  plan(
    opts: RunOptions,
    params: Record<string, unknown>,
    chanNames: readonly { name: string; device: string }[],
  ): ScenarioPlan;
  /**
   * Host-side work before any thread of a run starts (after plan): a scenario of C
   * drivers compiles them here. A rejection ends the run before it starts (a DmasimError
   * of DMASIM_BAD_OPTION is the user's input: exit 2).
   */
  load?(params: Record<string, unknown>, opts: RunOptions, machine: Machine): Promise<void>;
  /** Process-context code of CPU `cpu`; its return value (JSON-able) reaches `collect`. */
  cpuProgram(cpu: number, opts: RunOptions, params: Record<string, unknown>): unknown;
  /** Scenario-specific results from the CPUs' return values (index = CPU id). */
  collect(cpuResults: readonly unknown[]): Record<string, unknown>;
  /**
   * The checkers that watch its runs: a list, or a function the host calls when a run
   * starts (built-ins use builtinCheckers(), so that actor threads never load rxjs).
   */
  checkers: readonly Checker[] | (() => Promise<readonly Checker[]>);
}
