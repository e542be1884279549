import { replay } from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { renderCrash, renderRun } from '../render.js';
import { printedResult } from '../replay-path.js';

/** A parsed `dmasim replay`. */
export interface ReplayRequest {
  file: string;
  options: Record<string, string>;
  json: boolean;
}

/**
 * `dmasim replay FILE`: runs the recorded run again under the controlled scheduler.
 * --json prints `{file, recorded, reproduced, result}`. A corrupt or stale file throws
 * DMASIM_BAD_REPLAY (exit 2).
 * @returns 1 when a recorded violation kind was found again, 0 when not, 3 on a crash or a
 *   --trace / --events-out file that could not be written whole
 */
export async function replayCommand(req: ReplayRequest, io: Output): Promise<ExitCode> {
  const out = await replay(req.file, req.options);
  const result = printedResult(out.result);
  const code: ExitCode =
    out.result.exitCode === 3 || out.result.outputError
      ? EXIT.INTERNAL
      : out.reproduced
        ? EXIT.VIOLATIONS
        : EXIT.OK;
  if (req.json) {
    io.out(
      `${JSON.stringify({ file: req.file, recorded: out.recorded, reproduced: out.reproduced, exitCode: code, result }, null, 2)}\n`,
    );
  } else {
    const how =
      out.file.mode === 'controlled'
        ? 'following its recorded decisions'
        : `following the order of points its ${out.file.mode} run recorded`;
    io.out(
      [
        `replaying ${req.file}: ${out.file.scenario.name}, ${out.file.mode} run, seed ${out.file.seed}, ${how}`,
        renderRun(out.result, { quiet: true }).trimEnd(),
        out.result.schedule.diverged > 0
          ? `the replay diverged from the record at ${out.result.schedule.diverged} step(s)`
          : 'the replay followed the record',
        out.reproduced
          ? `reproduced: ${out.recorded.filter((k) => out.result.violationCounts[k]).join(', ')} found again`
          : `not reproduced: the recorded ${out.recorded.join(', ')} was not found again`,
        ...(out.result.replayFile ? [`replay file of this run: ${out.result.replayFile}`] : []),
        '',
      ].join('\n'),
    );
  }
  if (out.result.outputError) io.err(`dmasim: warning: ${out.result.outputError}\n`);
  if (out.result.replayError) {
    io.err(`dmasim: warning: could not write the replay file: ${out.result.replayError}\n`);
  }
  if (out.file.truncated) {
    io.err(
      `dmasim: warning: ${req.file} holds the first ${out.file.decisionCount ?? 0} decisions of a longer run: the replay is exact only that far\n`,
    );
  }
  if (out.result.exitCode === 3) io.err(renderCrash(out.result));
  return code;
}
