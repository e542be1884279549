import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineLockClass } from '../kernel/lock-class.js';
import { declareState } from '../shm/state-layout.js';
import { defineStruct } from '../shm/struct.js';
import { DmasimError } from '../errors.js';
import { IMAGE_BYTES, type BuildInput } from './toolchain.js';
import { compileDriver, type Compiled } from './compile.js';
import { cRuntime, publishBuild, type CRuntime } from './runtime.js';
import type { Machine } from '../shm/machine.js';

/**
 * A C driver's static data in the arena: the run's first declared state, where the driver
 * was linked to put it (IMAGE_BASE), zeroed and KASAN-valid.
 */
export const DRIVER_IMAGE = declareState(
  'cdriver.image',
  defineStruct('cdriver_image', { bytes: { array: IMAGE_BYTES / 4 } }),
  'machine',
);

/** What a C driver is built from: its sources and defines. */
export interface CDriverOptions {
  /** `-D` definitions: `NAME` or `NAME=VALUE`. */
  defines?: readonly string[];
}

/** Lock class names a source initialises: the text spin_lock_init(&x->lock) stringifies. */
const LOCK_INIT =
  /\b(?:spin_lock_init|mutex_init)\s*\(\s*([^;]*?)\s*\)\s*;|\bDEFINE_(?:SPINLOCK|MUTEX)\s*\(\s*(\w+)\s*\)/g;

/**
 * One or more C files linked into one wasm32 module: what a scenario names to run C driver
 * code. The host builds it before any thread starts (build()); each CPU thread then runs it
 * over the arena (runtime()).
 */
export class CDriver {
  /** The declared state a plan must list first. */
  readonly image = DRIVER_IMAGE;
  readonly sources: readonly { shown: string; path: string }[];
  readonly defines: readonly string[];

  constructor(sources: readonly string[], base: string, options: CDriverOptions = {}) {
    if (sources.length === 0)
      throw new DmasimError('DMASIM_BAD_OPTION', 'a C driver needs at least one source file');
    this.sources = sources.map((s) => {
      const path = isAbsolute(s) ? s : resolve(base, s);
      const rel = relative(process.cwd(), path);
      return { shown: rel.startsWith('..') ? path : rel, path };
    });
    this.defines = options.defines ?? [];
  }

  /** The build of this run (kcsan adds the instrumentation; extra defines from params). */
  input(kcsan: boolean, defines: readonly string[] = []): BuildInput {
    return { sources: this.sources, defines: [...this.defines, ...defines], kcsan };
  }

  /**
   * Compiles it (or takes it from the cache), and names its lock classes on the host, so
   * that lockdep's reports name them as the threads do.
   * @throws DmasimError DMASIM_BAD_OPTION naming the file when it does not compile
   */
  async build(kcsan: boolean, defines: readonly string[] = []): Promise<Compiled> {
    const built = await compileDriver(this.input(kcsan, defines));
    for (const s of this.sources) {
      for (const m of readFileSync(s.path, 'utf8').matchAll(LOCK_INIT)) {
        const name = m[1] !== undefined ? m[1].replace(/\s+/g, ' ') : m[2]!;
        defineLockClass(name);
      }
    }
    return built;
  }

  /**
   * Host side, in the scenario's load(): builds the driver for this run (with --kcsan's
   * instrumentation when the run checks) and hands the build to the run's threads.
   * @throws DmasimError DMASIM_BAD_OPTION naming the file when it does not compile
   */
  async load(machine: Machine, defines: readonly string[] = []): Promise<Compiled> {
    const built = await this.build(machine.spec.kcsan, defines);
    publishBuild(machine, built.key, built.wasm);
    return built;
  }

  /** This thread's instance of the run's driver (instantiated on first use). */
  runtime(): CRuntime {
    return cRuntime();
  }
}

/**
 * A C driver of a scenario module: `cDriver(import.meta.url, ['./my-driver.c'])`.
 * @param from the module's URL (or a directory) relative sources are found from
 */
export function cDriver(
  from: string,
  sources: readonly string[],
  options: CDriverOptions = {},
): CDriver {
  const base = from.startsWith('file:') ? dirname(fileURLToPath(from)) : from;
  return new CDriver(sources, base, options);
}
