import { runCampaign, type CampaignSummary } from '../../index.js';
import type { ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { ProgressView } from '../campaign-progress.js';
import { renderCampaign } from '../render-campaign.js';

/** A parsed `dmasim campaign`. */
export interface CampaignRequest {
  scenario: string;
  options: Record<string, string>;
  json: boolean;
  quiet: boolean;
}

/**
 * `dmasim campaign`: runs the seeds, shows progress on stderr, prints the summary (or with
 * --json the CampaignSummary). Ctrl-C ends it with the summary so far; a second Ctrl-C
 * exits at once.
 * @returns 0 no run failed, 1 some run failed, 3 a run crashed
 */
export async function campaignCommand(req: CampaignRequest, io: Output): Promise<ExitCode> {
  const stop = new AbortController();
  const onSigint = (): void => {
    if (stop.signal.aborted) process.exit(130);
    io.err('\ndmasim: interrupted: stopping the runs in flight (Ctrl-C again to quit at once)\n');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  const view = req.quiet ? null : new ProgressView(io);
  let summary: CampaignSummary;
  try {
    summary = await runCampaign(req.scenario, req.options, {
      signal: stop.signal,
      ...(view ? { onProgress: (p) => view.update(p) } : {}),
    });
  } finally {
    view?.end();
    process.off('SIGINT', onSigint);
  }
  io.out(req.json ? `${JSON.stringify(summary, null, 2)}\n` : renderCampaign(summary));
  for (const e of summary.replayErrors ?? [])
    io.err(`dmasim: warning: could not write the replay file of ${e}\n`);
  return summary.exitCode;
}
