import { Subject, type Observable } from 'rxjs';
import { CONTROL, CONTROL_EPOCH_F64, Phase } from '../shm/control-block.js';
import type { Machine } from '../shm/machine.js';
import { RunClock } from '../kernel/clock.js';
import { wakeCpu } from '../kernel/cpu.js';
import { EventDrain } from '../events/drain.js';
import type { DmaEvent } from '../events/event.js';
import type { Violation } from '../events/violation.js';
import type { Scenario } from '../scenarios/scenario.js';
import { DmasimError } from '../errors.js';
import { actorPool, actorPoolError } from './pool.js';
import { ActorHandle } from './actor-handle.js';
import type { ActorReport } from './protocol.js';
import { describeActors } from './watchdog.js';
import { prepare, type Prepared } from './prepare.js';
import { cycleKey, describeCycle, lockWaits, waitCycle } from './wait-for.js';
import { lockdepCheckers } from '../events/checkers/lockdep/validator.js';
import { MAX_VIOLATIONS_PER_KIND, collectStats, dmesgLine, type RunResult } from './result.js';

/** After the deadline, how long actors get to stop before their threads are killed. */
const ABORT_GRACE_MS = 2000;
/** How often the watchdog looks for a lock wait-for cycle. */
const CYCLE_CHECK_MS = 100;
/** How long actors get to attach and report ready. */
const START_TIMEOUT_MS = 15_000;

/** A run in progress: its live streams and its eventual result. */
export interface RunHandle {
  /** Every event, in the run's total order. Subscribe synchronously after startRun(). */
  events$: Observable<DmaEvent>;
  /** Violations as the checkers find them. */
  violations$: Observable<Violation>;
  /** Settles when every actor stopped; rejects only for a run that could not start. */
  result: Promise<RunResult>;
}

/**
 * Starts a scenario: validates every option, builds the machine, and runs it on the actor
 * pool. Bad options throw at once (DmasimError DMASIM_BAD_OPTION / DMASIM_UNKNOWN_SCENARIO).
 * @param scenario a name from `dmasim list`, or a Scenario object with its `module` URL
 * @param options run options and scenario parameters, flat, camelCase keys
 */
export function startRun(
  scenario: string | Scenario,
  options: Record<string, unknown> = {},
): RunHandle {
  const prepared = prepare(scenario, options);
  const { machine } = prepared;
  const drain = new EventDrain(
    machine.rings,
    machine.spec.actors.map((a) => a.name),
    machine.control,
  );
  const violations = new Subject<Violation>();
  const found: Violation[] = [];
  const counts: Record<string, number> = {};
  violations.subscribe((v) => {
    counts[v.kind] = (counts[v.kind] ?? 0) + 1;
    if (counts[v.kind]! <= MAX_VIOLATIONS_PER_KIND) found.push(v);
  });
  const checkers = prepared.opts.lockdep
    ? [...prepared.scenario.checkers, ...lockdepCheckers()]
    : prepared.scenario.checkers;
  for (const checker of checkers) {
    drain.events$.pipe(checker).subscribe({ next: (v) => violations.next(v) });
  }
  const result = execute(prepared, drain, violations, found, counts).finally(() =>
    violations.complete(),
  );
  return { events$: drain.events$, violations$: violations.asObservable(), result };
}

/** Runs a scenario to the end. See startRun(). */
export function runScenario(
  scenario: string | Scenario,
  options: Record<string, unknown> = {},
): Promise<RunResult> {
  return startRun(scenario, options).result;
}

async function execute(
  p: Prepared,
  drain: EventDrain,
  violations: Subject<Violation>,
  found: Violation[],
  counts: Record<string, number>,
): Promise<RunResult> {
  const { machine, opts, scenario } = p;
  const control = machine.control;
  const actors = machine.spec.actors;
  machine.spec.epochMs = RunClock.epochNow();
  const pool = actorPool();
  const handles = actors.map((a) => new ActorHandle(pool, a.name));
  const reports: (ActorReport | Error | undefined)[] = new Array<ActorReport | Error | undefined>(
    actors.length,
  );
  let t0 = performance.now();
  let durationMs = 0;
  let killed = false;
  try {
    const attachErrors = await Promise.all(
      handles.map((h, i) =>
        h.call((api) =>
          api.attach({
            spec: machine.spec,
            buffers: machine.buffers,
            actor: i,
            scenario: scenario.name,
            ...(scenario.module ? { scenarioModule: scenario.module } : {}),
            options: { ...opts },
            params: p.params,
          }),
        ),
      ),
    );
    const bad = attachErrors.findIndex((e) => e !== null);
    if (bad >= 0) {
      const e = attachErrors[bad]!;
      throw new DmasimError(
        e.code === 'DMASIM_STALE_BUILD' ? 'DMASIM_STALE_BUILD' : 'DMASIM_ACTOR_START',
        `${actors[bad]!.name}: ${e.message}`,
      );
    }
    const settled = handles.map((h, i) =>
      h.run().then(
        (r) => (reports[i] = r),
        (err: unknown) => (reports[i] = err instanceof Error ? err : new Error(String(err))),
      ),
    );
    const startBy = performance.now() + START_TIMEOUT_MS;
    while (Atomics.load(control, CONTROL.READY) < actors.length) {
      if (performance.now() > startBy || reports.some((r) => r instanceof Error)) {
        // A worker that failed to load says why only through the pool's 'error' event.
        const cause = actorPoolError();
        throw new DmasimError(
          'DMASIM_ACTOR_START',
          `actors did not become ready in time${cause ? `: ${cause.message}` : ''}`,
          { cause },
        );
      }
      await drain.sleep(5);
    }
    t0 = performance.now();
    // The epoch is published before RUNNING: actors read it once they see RUNNING.
    new Float64Array(machine.buffers.control)[CONTROL_EPOCH_F64] = RunClock.epochNow();
    Atomics.store(control, CONTROL.PHASE, Phase.RUNNING);
    Atomics.notify(control, CONTROL.PHASE);
    const deadline = opts.deadline || (opts.duration ? opts.duration + 10_000 : 60_000);
    let killAt = Infinity;
    let nextCycleCheck = CYCLE_CHECK_MS;
    let lastCycle = '';
    const allDone = Promise.all(settled);
    let finished = false;
    void allDone.then(() => (finished = true));
    while (!finished) {
      const n = drain.drain();
      const now = performance.now() - t0;
      const phase = Atomics.load(control, CONTROL.PHASE);
      if (phase < Phase.SHUTDOWN) {
        if (
          Atomics.load(control, CONTROL.FAILED) !== 0 ||
          Atomics.load(control, CONTROL.CLIENTS_DONE) >=
            actors.filter((a) => a.kind === 'cpu').length
        ) {
          setPhase(machine, Phase.SHUTDOWN);
        } else if (phase === Phase.RUNNING && opts.duration && now >= opts.duration) {
          setPhase(machine, Phase.STOPPING);
        }
      }
      if (now >= nextCycleCheck && phase < Phase.ABORTED) {
        nextCycleCheck = now + CYCLE_CHECK_MS;
        const cycle = waitCycle(lockWaits(machine));
        const key = cycle ? cycleKey(cycle) : '';
        // The same cycle twice in a row: spinlock waits do not resolve themselves.
        if (cycle && key === lastCycle) {
          violations.next({
            kind: 'deadlock',
            message: `deadlock: ${cycle.map((w) => `cpu${w.cpu} waits for ${w.lockClass} held by cpu${w.owner}`).join('; ')}`,
            time: now,
            report: `watchdog: lock wait-for cycle, the run cannot progress\n${describeCycle(cycle)}\n${describeActors(machine)}`,
            cycle: cycle.map((w) => ({ cpu: w.cpu, lockClass: w.lockClass, owner: w.owner })),
          });
          setPhase(machine, Phase.ABORTED);
          killAt = now + ABORT_GRACE_MS;
        }
        lastCycle = key;
      }
      if (now >= deadline && phase < Phase.ABORTED) {
        const v: Violation = {
          kind: 'deadlock',
          message: `watchdog: the run made no progress to its end within the ${deadline} ms deadline`,
          time: now,
          report: `watchdog: run did not finish within ${deadline} ms\n${describeActors(machine)}`,
        };
        violations.next(v);
        setPhase(machine, Phase.ABORTED);
        killAt = now + ABORT_GRACE_MS;
      }
      if (now >= killAt) {
        killed = true;
        for (let i = 0; i < handles.length; i++) if (reports[i] === undefined) handles[i]!.kill();
        await allDone;
        break;
      }
      if (n === 0) await drain.sleep(10);
      else await new Promise<void>((r) => setImmediate(r));
    }
    durationMs = performance.now() - t0;
    drain.drainAll();
  } catch (err) {
    setPhase(machine, Phase.ABORTED);
    for (const h of handles) h.kill();
    await Promise.allSettled(handles.map((h) => h.task));
    drain.error(err);
    throw err;
  } finally {
    await Promise.all(handles.map((h) => h.release()));
  }
  drain.complete();
  return buildResult(p, drain, reports, found, counts, durationMs, killed);
}

function setPhase(machine: Machine, phase: number): void {
  Atomics.store(machine.control, CONTROL.PHASE, phase);
  Atomics.notify(machine.control, CONTROL.PHASE);
  // Idle CPUs sleep on their WAKE word: wake them to see the new phase now, not a slice later.
  for (let cpu = 0; cpu < machine.spec.cpus; cpu++) wakeCpu(machine, cpu);
}

function buildResult(
  p: Prepared,
  drain: EventDrain,
  reports: readonly (ActorReport | Error | undefined)[],
  violations: Violation[],
  violationCounts: Record<string, number>,
  durationMs: number,
  killed: boolean,
): RunResult {
  const { machine, scenario, opts } = p;
  const actors = machine.spec.actors;
  const lines: { time: number; line: string }[] = [];
  const programs: unknown[] = [];
  let error: RunResult['error'];
  reports.forEach((r, i) => {
    const a = actors[i]!;
    if (r === undefined || r instanceof Error) {
      // A thread the watchdog killed has no report; its deadlock is already a violation.
      if (r && !killed && !error)
        error = { actor: a.name, name: r.name, message: r.message, stack: r.stack ?? '' };
      return;
    }
    lines.push(...r.dmesg);
    if (r.outcome.type === 'crashed' && !error) error = { actor: a.name, ...r.outcome.error };
    if (a.kind === 'cpu') programs[a.index] = r.outcome.type === 'ok' ? r.outcome.program : null;
  });
  lines.sort((x, y) => x.time - y.time);
  const stats = collectStats(machine, drain.deliveredCount(), drain.producedCount());
  const exitCode = error ? 3 : violations.length > 0 ? 1 : 0;
  return {
    scenario: scenario.name,
    seed: opts.seed,
    durationMs: Math.round(durationMs),
    exitCode,
    stats,
    violations,
    violationCounts,
    results: scenario.collect(programs),
    ...(error ? { error } : {}),
    dmesg: lines.map((l) => dmesgLine(l.time, l.line)),
    options: { ...opts, ...p.params },
  };
}
