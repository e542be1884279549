import { shrink, type ScheduleSize, type ShrinkOutcome } from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';

/** A parsed `dmasim shrink`. */
export interface ShrinkRequest {
  file: string;
  options: Record<string, string>;
  json: boolean;
}

/**
 * `dmasim shrink FILE`: minimises a failing controlled schedule and writes the smallest
 * failing replay file (--replay-out, else `<name>.shrunk.json` next to FILE). --json prints
 * `{before, after, replayFile, ...}`. A file that cannot be shrunk throws DMASIM_BAD_REPLAY
 * (exit 2).
 * @returns 0: the shrunk file, replayed, fails the same way
 */
export async function shrinkCommand(req: ShrinkRequest, io: Output): Promise<ExitCode> {
  const out = await shrink(req.file, req.options);
  io.out(req.json ? jsonOutcome(out) : renderOutcome(out));
  return EXIT.OK;
}

function jsonOutcome(o: ShrinkOutcome): string {
  const { before, after, replayFile, file, scenario, kind, scaled, runs, kept, stoppedBy } = o;
  const printed = {
    before,
    after,
    replayFile,
    file,
    scenario,
    kind,
    scaled,
    runs,
    kept,
    stoppedBy,
    durationMs: o.durationMs,
  };
  return `${JSON.stringify(printed, null, 2)}\n`;
}

function size(s: ScheduleSize): string {
  const n = (k: number, one: string, more = `${one}s`): string => `${k} ${k === 1 ? one : more}`;
  return `${n(s.preemptions, 'preemption')}, ${n(s.decisions, 'decision')}, ${n(s.switches, 'context switch', 'context switches')}`;
}

const STOPPED: Record<ShrinkOutcome['stoppedBy'], string> = {
  done: 'no smaller candidate left to try',
  'max-runs': 'stopped at --max-runs',
  deadline: 'stopped at --deadline',
};

function renderOutcome(o: ShrinkOutcome): string {
  const scaled = Object.entries(o.scaled).map(([k, [a, b]]) => `--${flag(k)} ${a} -> ${b}`);
  return [
    `shrinking ${o.file}: ${o.scenario}, keeping ${o.kind}`,
    ...(o.controlledFile
      ? [
          `  (its run's order of points, replayed controlled: ${o.controlledFile}; that schedule shrinks)`,
        ]
      : []),
    `  before: ${size(o.before)}`,
    `  after:  ${size(o.after)}${scaled.length ? ` (${scaled.join(', ')})` : ''}`,
    `tried ${o.runs} candidate schedules, kept ${o.kept}, in ${(o.durationMs / 1000).toFixed(1)} s (${STOPPED[o.stoppedBy]})`,
    `shrunk replay file: ${o.replayFile} (dmasim replay ${o.replayFile})`,
    '',
  ].join('\n');
}

/** `threadsPerChan` -> `threads-per-chan`. */
function flag(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
