import { resolve } from 'node:path';
import { DmasimError } from '../errors.js';
import type { DmaEvent } from '../events/event.js';
import type { Violation } from '../events/violation.js';
import { ChromeTrace, type TraceLayout } from '../events/exporters/chrome-trace.js';
import { jsonLine } from '../events/exporters/json-lines.js';
import type { MachineSpec } from '../shm/machine.js';
import { OutputFile } from './output-file.js';
import type { Prepared } from './prepare.js';
import type { RunResult } from './result.js';
import type { RunHandle } from './run-handle.js';

/** One file fed from the run's streams. */
interface Output {
  file: OutputFile;
  event(e: DmaEvent): void;
  violation(v: Violation): void;
  end(): void;
}

/**
 * The files a run writes as it goes: `--events-out` (every event, JSON lines) and
 * `--trace` (a Chrome trace-event timeline). They are created by open(), before any thread
 * starts, fed from the run's streams once attached, and complete when the result settles.
 * A file that could not be written whole leaves the run as it is and says why in
 * `result.outputError`.
 */
export class RunOutputs {
  private constructor(private readonly outputs: readonly Output[]) {}

  /**
   * Creates the files the run's options name.
   * @throws DmasimError DMASIM_BAD_OPTION when one cannot be created
   */
  static open(p: Prepared): RunOutputs {
    const { trace, eventsOut } = p.opts;
    if (trace && eventsOut && resolve(trace) === resolve(eventsOut)) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `--trace and --events-out both name ${trace}: give each its own file`,
      );
    }
    const outputs: Output[] = [];
    try {
      if (eventsOut) outputs.push(jsonLinesOutput(OutputFile.create(eventsOut, 'events-out')));
      if (trace) outputs.push(traceOutput(OutputFile.create(trace, 'trace'), p));
    } catch (err) {
      for (const o of outputs) o.file.close();
      throw err;
    }
    return new RunOutputs(outputs);
  }

  /**
   * Feeds the files from `run`'s streams (subscribe before its first event).
   * @returns the handle, its result settling once the files are closed
   */
  attach(run: RunHandle): RunHandle {
    if (this.outputs.length === 0) return run;
    run.events$.subscribe({ next: (e) => this.each((o) => o.event(e)), error: () => undefined });
    run.violations$.subscribe({
      next: (v) => this.each((o) => o.violation(v)),
      error: () => undefined,
    });
    const result = run.result.then(
      (r: RunResult) => {
        const outputError = this.finish();
        if (outputError !== undefined) r.outputError = outputError;
        return r;
      },
      (err: unknown) => {
        this.finish();
        throw err;
      },
    );
    return { ...run, result };
  }

  /** Runs `f` on every output: an exporter's failure costs its file, never the run's drain. */
  private each(f: (o: Output) => void): void {
    for (const o of this.outputs) {
      try {
        f(o);
      } catch (err) {
        o.file.fail(err);
      }
    }
  }

  /** Ends and closes every file. @returns what could not be written, if anything */
  private finish(): string | undefined {
    this.each((o) => o.end());
    const failures = this.outputs.map((o) => o.file.close()).filter((f) => f !== null);
    return failures.length > 0 ? `could not write ${failures.join('; ')}` : undefined;
  }
}

function jsonLinesOutput(file: OutputFile): Output {
  return {
    file,
    event: (e) => file.write(jsonLine(e)),
    violation: () => undefined,
    end: () => undefined,
  };
}

function traceOutput(file: OutputFile, p: Prepared): Output {
  const trace = new ChromeTrace(traceLayout(p), (text) => file.write(text));
  trace.begin();
  return {
    file,
    event: (e) => trace.event(e),
    violation: (v) => trace.violation(v),
    end: () => trace.end(),
  };
}

function traceLayout(p: Prepared): TraceLayout {
  const spec: MachineSpec = p.machine.spec;
  const channels: string[] = [];
  for (const d of spec.devices) {
    for (let c = 0; c < d.channels; c++) channels[d.firstChan + c] = `${d.name}chan${c}`;
  }
  return {
    title: `dmasim ${p.scenario.name} (${p.opts.mode}, seed ${p.opts.seed})`,
    actors: spec.actors.map((a) => ({ name: a.name, kind: a.kind })),
    channels,
    irqs: spec.irqs,
    tasklets: spec.tasklets,
    controlled: p.opts.mode === 'controlled',
  };
}
