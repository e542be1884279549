import { Subject } from 'rxjs';
import { CONTROL, CONTROL_EPOCH_F64, Phase } from '../shm/control-block.js';
import { Outcome, SCHED, TOKEN_HOST } from '../shm/sched-struct.js';
import { WallClock } from '../sched/run-clock.js';
import { firstTurn } from '../sched/setup.js';
import { abortAll } from '../sched/token.js';
import { EventDrain } from '../events/drain.js';
import type { Violation } from '../events/violation.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { Checker } from '../scenarios/checkers.js';
import { DmasimError } from '../errors.js';
import { actorPool, actorPoolError } from './pool.js';
import { ActorHandle } from './actor-handle.js';
import type { Crew } from './crew.js';
import type { ActorReport } from './protocol.js';
import { describeActors } from './watchdog.js';
import { prepare, type Prepared, type ReplayInput } from './prepare.js';
import { cycleKey, describeCycle, lockWaits, waitCycle } from './wait-for.js';
import { lockdepCheckers } from '../events/checkers/lockdep/validator.js';
import { kernelReports } from '../events/checkers/kernel-report.js';
import { MAX_VIOLATIONS_PER_KIND, type RunResult } from './result.js';
import { buildResult } from './build-result.js';
import { importScenario, loadScenarioModule } from './scenario-module.js';
import { isModulePath } from '../user-module/module-path.js';
import { deferredRun } from './deferred-run.js';
import { RunOutputs } from './run-outputs.js';
import type { RunHandle } from './run-handle.js';

/** After an abort, how long actors get to stop before their threads are killed. */
const ABORT_GRACE_MS = 2000;
/** How often the watchdog looks for a lock wait-for cycle (free and chaos runs). */
const CYCLE_CHECK_MS = 100;
/**
 * How long actors get to attach and report ready: a base, plus for each actor the start of
 * a new pool thread (about 0.2 s of CPU each, several times that on a loaded machine).
 */
const START_BASE_MS = 10_000;
const START_PER_ACTOR_MS = 500;
/** Longest sleep of the host's loop when nothing wakes it. */
const HOST_TICK_MS = 20;

export type { RunHandle } from './run-handle.js';

/** How a caller steers a run besides its options. */
export interface RunControl {
  /**
   * Ends the run early: every actor stops at its next point, the result settles with what
   * was found so far and `interrupted: true`, and every thread is stopped.
   */
  signal?: AbortSignal;
  /** Internal: the reserved threads to run on (a campaign's); else threads of the pool. */
  crew?: Crew;
  /**
   * An existing directory: each actor writes a V8 CPU profile of its thread there,
   * `<actor>.cpuprofile`, covering its life in the run (RunResult.actors names the files).
   */
  cpuProfileDir?: string;
}

/**
 * Starts a scenario: validates every option, builds the machine, and runs it on the actor
 * pool. Bad options throw synchronously, before any thread starts (DmasimError
 * DMASIM_BAD_OPTION / DMASIM_UNKNOWN_SCENARIO). A user scenario module that does not load
 * or exports no usable `scenario` rejects `result` with DMASIM_BAD_OPTION, also before any
 * thread starts. A scenario given as a path is loaded first: then bad options, too, reject
 * `result` rather than throw.
 * @param scenario a name from `dmasim list`, the path of a user module (`./my-scenario.ts`:
 *   it contains a `/` or ends with .ts, .mts, .js, .mjs or .c; relative to the working
 *   directory), or a Scenario object with its `module` URL
 * @param options run options and scenario parameters, flat, camelCase keys
 * @throws DmasimError DMASIM_BAD_OPTION, DMASIM_UNKNOWN_SCENARIO
 */
export function startRun(
  scenario: string | Scenario,
  options: Record<string, unknown> = {},
  control: RunControl = {},
): RunHandle {
  if (typeof scenario === 'string' && isModulePath(scenario)) {
    return deferredRun(
      loadScenarioModule(scenario).then((s) => startPrepared(prepare(s, options), control)),
    );
  }
  return startPrepared(prepare(scenario, options), control);
}

/** Starts a run that follows a recorded schedule (see host/replay.ts). */
export function startReplay(
  scenario: string | Scenario,
  options: Record<string, unknown>,
  replay: ReplayInput,
  control: RunControl = {},
): RunHandle {
  return startPrepared(prepare(scenario, options, replay), control);
}

/**
 * Runs a scenario to the end. See startRun(); unlike it, never throws: whatever startRun()
 * would throw (bad options, an unknown scenario) rejects the promise.
 * @returns the run's result; rejects with DmasimError for input it refuses
 */
export async function runScenario(
  scenario: string | Scenario,
  options: Record<string, unknown> = {},
  control: RunControl = {},
): Promise<RunResult> {
  return startRun(scenario, options, control).result;
}

/** Starts a run already prepared (a campaign prepares each of its runs itself). */
export function startPrepared(prepared: Prepared, control: RunControl = {}): RunHandle {
  const { machine } = prepared;
  const outputs = RunOutputs.open(prepared);
  const drain = new EventDrain(
    machine.rings,
    machine.spec.actors.map((a) => a.name),
    machine.control,
  );
  const run = new Execution(prepared, drain, control);
  // A user module is loaded here first: one that does not load, or exports no usable
  // scenario, is refused before any thread starts.
  const loaded = (
    prepared.scenario.module ? importScenario(prepared.scenario.module) : Promise.resolve(null)
  ).then((s) => (s ?? prepared.scenario).load?.(prepared.params, prepared.opts, machine));
  // Checkers subscribe before any actor starts, so they see every event.
  const watched = loaded
    .then(() => scenarioCheckers(prepared.scenario))
    .then((own) => {
      // Driver code's reports (WARN, BUG, ...) are violations in every run.
      const always = [kernelReports(machine.strings)];
      const checkers = [...own, ...(prepared.opts.lockdep ? lockdepCheckers() : []), ...always];
      for (const checker of checkers) {
        // A run that cannot start fails the stream; that failure is the result's rejection,
        // not an error of its own (rxjs would throw an unhandled one at the caller).
        drain.events$
          .pipe(checker)
          .subscribe({ next: (v) => run.violation(v), error: () => undefined });
      }
    });
  const result = watched
    .then(
      () => run.execute(),
      (err: unknown) => {
        // The run never started: its streams end with the reason, as execute()'s do.
        drain.error(err);
        throw err;
      },
    )
    .finally(() => run.violations.complete());
  return outputs.attach({
    events$: drain.events$,
    violations$: run.violations.asObservable(),
    result,
  });
}

/** A scenario's checkers, loading them if the scenario names them lazily. */
async function scenarioCheckers(s: Scenario): Promise<readonly Checker[]> {
  return typeof s.checkers === 'function' ? s.checkers() : s.checkers;
}

/**
 * One run on the host: its watchdog exists from the first moment (attach included), it
 * drains events, ends the run on a crash, a dead thread, a deadlock or a stop request, and
 * kills threads that do not stop.
 */
class Execution {
  readonly violations = new Subject<Violation>();
  private readonly found: Violation[] = [];
  private readonly counts: Record<string, number> = {};
  private readonly reports: (ActorReport | Error | undefined)[];
  /** When the run's threads started being set up (after the scenario's load()). */
  private t0 = performance.now();
  private readonly deadline: number;
  private aborted = false;
  private killAt = Infinity;
  private stopRequested = false;
  /** The caller's signal ended the run. */
  private interrupted = false;
  private kick: () => void = () => undefined;

  constructor(
    private readonly p: Prepared,
    private readonly drain: EventDrain,
    private readonly control: RunControl,
  ) {
    this.reports = new Array<ActorReport | Error | undefined>(p.machine.spec.actors.length).fill(
      undefined,
    );
    const { opts } = p;
    const wallDuration = opts.mode === 'controlled' ? 0 : opts.duration;
    this.deadline = opts.deadline || (wallDuration ? wallDuration + 10_000 : 60_000);
  }

  /** A checker found `v`: count it, keep the first of each kind, honour --stop-on-first. */
  violation(v: Violation): void {
    const n = (this.counts[v.kind] = (this.counts[v.kind] ?? 0) + 1);
    if (n <= MAX_VIOLATIONS_PER_KIND) this.found.push(v);
    this.violations.next(v);
    if (this.p.opts.stopOnFirst && !this.stopRequested) {
      this.stopRequested = true;
      this.kick();
    }
  }

  private elapsed(): number {
    return performance.now() - this.t0;
  }

  async execute(): Promise<RunResult> {
    // The start-up window and the deadline count from here: a scenario's load() (a C
    // driver's compile) came before, and is not the threads' start.
    this.t0 = performance.now();
    const { machine } = this.p;
    machine.spec.epochMs = WallClock.epochNow();
    const { signal, crew } = this.control;
    const names = machine.spec.actors.map((a) => a.name);
    const pool = crew ? null : actorPool();
    const handles = crew ? crew.take(names) : names.map((n) => new ActorHandle(pool!, n));
    const onAbort = (): void => {
      this.interrupted = true;
      this.kick();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) this.interrupted = true;
    let killed = false;
    let durationMs = 0;
    try {
      const t = await this.start(handles);
      killed = await this.monitor(handles);
      durationMs = performance.now() - t;
      this.drain.drainAll();
    } catch (err) {
      this.abort();
      for (const h of handles) h.kill();
      await Promise.allSettled(handles.map((h) => h.task));
      this.drain.error(err);
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // A crew keeps its threads for the next run; it replaces any that were killed.
      if (!crew) await Promise.all(handles.map((h) => h.release()));
    }
    this.drain.complete();
    const result = buildResult(
      this.p,
      this.drain,
      this.reports,
      this.found,
      this.counts,
      durationMs,
      killed,
    );
    if (this.interrupted) result.interrupted = true;
    return result;
  }

  /** Attaches every actor and starts the run. @returns the wall instant it started */
  private async start(handles: ActorHandle[]): Promise<number> {
    const { machine, scenario } = this.p;
    const control = machine.control;
    const actors = machine.spec.actors;
    const startBy = START_BASE_MS + START_PER_ACTOR_MS * actors.length;
    const attach = Promise.all(
      handles.map((h, i) =>
        h.call((api) =>
          api.attach({
            spec: machine.spec,
            buffers: machine.buffers,
            actor: i,
            scenario: scenario.name,
            ...(scenario.module ? { scenarioModule: scenario.module } : {}),
            options: { ...this.p.opts },
            params: this.p.params,
            ...(this.control.cpuProfileDir !== undefined
              ? { cpuProfileDir: this.control.cpuProfileDir }
              : {}),
          }),
        ),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), startBy)));
    const attached = await Promise.race([attach, late]).finally(() => clearTimeout(timer));
    if (attached === 'late') throw this.notReady(startBy);
    const bad = attached.findIndex((e) => e !== null);
    if (bad >= 0) {
      const e = attached[bad]!;
      // A scenario module the worker refused is bad input; its message names the file.
      if (e.code === 'DMASIM_BAD_OPTION') throw new DmasimError('DMASIM_BAD_OPTION', e.message);
      throw new DmasimError(
        e.code === 'DMASIM_STALE_BUILD' ? 'DMASIM_STALE_BUILD' : 'DMASIM_ACTOR_START',
        `${actors[bad]!.name}: ${e.message}`,
      );
    }
    handles.forEach((h, i) => {
      void h.run().then(
        (r) => this.settle(i, r),
        (err: unknown) => this.settle(i, err instanceof Error ? err : new Error(String(err))),
      );
    });
    while (Atomics.load(control, CONTROL.READY) < actors.length) {
      if (this.elapsed() > startBy || this.reports.some((r) => r instanceof Error)) {
        throw this.notReady(startBy);
      }
      await this.drain.sleep(5);
    }
    // The epoch is published before RUNNING: actors read it once they see RUNNING.
    new Float64Array(machine.buffers.control)[CONTROL_EPOCH_F64] = WallClock.epochNow();
    if (machine.spec.sched.mode === 'controlled' && !firstTurn(this.p.view)) {
      // Nothing can run at all: the monitor reports it as the deadlock it is.
      Atomics.store(this.p.view.i32, SCHED.TOKEN, TOKEN_HOST);
    }
    Atomics.store(control, CONTROL.PHASE, Phase.RUNNING);
    Atomics.notify(control, CONTROL.PHASE);
    return performance.now();
  }

  private notReady(ms: number): DmasimError {
    // A worker that failed to load says why only through the pool's 'error' event.
    const cause = actorPoolError() ?? this.reports.find((r) => r instanceof Error);
    return new DmasimError(
      'DMASIM_ACTOR_START',
      `actors did not become ready within ${ms} ms${cause ? `: ${cause.message}` : ''}`,
      { cause },
    );
  }

  private settle(i: number, r: ActorReport | Error): void {
    this.reports[i] = r;
    this.kick();
  }

  /** Drains and watches until every actor reported. @returns whether threads were killed */
  private async monitor(handles: ActorHandle[]): Promise<boolean> {
    const { machine, opts, view } = this.p;
    const control = machine.control;
    const controlled = opts.mode === 'controlled';
    let nextCycleCheck = CYCLE_CHECK_MS;
    let lastCycle = '';
    let killed = false;
    const runT0 = performance.now();
    while (this.reports.some((r) => r === undefined)) {
      const n = this.drain.drain();
      const now = this.elapsed();
      // --deadline and --duration count from the start of the run; attach has its own limit.
      const ran = performance.now() - runT0;
      if (!this.aborted) {
        const phase = Atomics.load(control, CONTROL.PHASE);
        if (this.reports.some((r) => r instanceof Error)) {
          // A thread died (process.exit(), out of memory): its crash is the report.
          this.abort();
        } else if (Atomics.load(control, CONTROL.FAILED) !== 0) {
          this.abort();
        } else if (
          controlled &&
          Atomics.load(view.i32, SCHED.TOKEN) === TOKEN_HOST &&
          view.i32[SCHED.OUTCOME] === Outcome.DEADLOCK
        ) {
          this.deadlocked('deadlock: no actor can run, and none waits with a timeout', now);
        } else if (this.stopRequested || this.interrupted) {
          this.abort();
        } else if (ran >= this.deadline) {
          this.report({
            kind: 'deadlock',
            message: `watchdog: the run made no progress to its end within the ${this.deadline} ms deadline`,
            time: now,
            report: `watchdog: run did not finish within ${this.deadline} ms\n${describeActors(this.p.view)}`,
            // Says what ended the run, for tools that must tell it from a real deadlock.
            deadlineMs: this.deadline,
          });
          this.abort();
        } else if (!controlled) {
          if (phase === Phase.RUNNING && opts.duration && ran >= opts.duration) {
            this.setPhase(Phase.STOPPING);
          }
          if (ran >= nextCycleCheck) {
            nextCycleCheck = ran + CYCLE_CHECK_MS;
            const cycle = waitCycle(lockWaits(machine));
            const key = cycle ? cycleKey(cycle) : '';
            // The same cycle twice in a row: spinlock waits do not resolve themselves.
            if (cycle && key === lastCycle) {
              this.deadlocked(
                `deadlock: ${cycle.map((w) => `cpu${w.cpu} waits for ${w.lockClass} held by cpu${w.owner}`).join('; ')}`,
                now,
              );
            }
            lastCycle = key;
          }
        }
      }
      if (now >= this.killAt && !killed) {
        // Their threads end at once; each run() then rejects and settles its report.
        for (let i = 0; i < handles.length; i++)
          if (this.reports[i] === undefined) handles[i]!.kill();
        killed = true;
      }
      if (n > 0) await new Promise<void>((r) => setImmediate(r));
      else
        await Promise.race([
          this.drain.sleep(HOST_TICK_MS),
          new Promise<void>((r) => (this.kick = r)),
        ]);
    }
    return killed;
  }

  /** A deadlock: the lock wait-for cycle if there is one, and what every actor was doing. */
  private deadlocked(message: string, now: number): void {
    const { machine } = this.p;
    const cycle = waitCycle(lockWaits(machine));
    this.report({
      kind: 'deadlock',
      message: cycle
        ? `deadlock: ${cycle.map((w) => `cpu${w.cpu} waits for ${w.lockClass} held by cpu${w.owner}`).join('; ')}`
        : message,
      time: now,
      report:
        `watchdog: ${cycle ? 'lock wait-for cycle, ' : ''}the run cannot progress\n` +
        `${cycle ? `${describeCycle(cycle)}\n` : ''}${describeActors(this.p.view)}`,
      ...(cycle
        ? { cycle: cycle.map((w) => ({ cpu: w.cpu, lockClass: w.lockClass, owner: w.owner })) }
        : {}),
    });
    this.abort();
  }

  private report(v: Violation): void {
    this.violation(v);
  }

  /** Ends the run: every actor unwinds at its next check; threads that do not are killed. */
  private abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.setPhase(Phase.ABORTED);
    abortAll(this.p.view);
    this.killAt = this.elapsed() + ABORT_GRACE_MS;
  }

  private setPhase(phase: number): void {
    const { machine, view } = this.p;
    Atomics.store(machine.control, CONTROL.PHASE, phase);
    Atomics.notify(machine.control, CONTROL.PHASE);
    // Waiting actors see the new phase now, not a sleep slice later.
    view.wakeAll();
  }
}
