import { readFileSync } from 'node:fs';
import { DmasimError, mergeSummaries, type CampaignSummary } from '../../index.js';
import type { ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { renderCampaign } from '../render-campaign.js';

/** A parsed `dmasim merge`. */
export interface MergeRequest {
  files: string[];
  json: boolean;
}

/** Reads one shard's `campaign --json` output. @throws DmasimError DMASIM_BAD_OPTION */
function readSummary(file: string): CampaignSummary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `${file}: cannot be read (${(err as Error).message})`,
    );
  }
  let s: unknown;
  try {
    s = JSON.parse(text);
  } catch (err) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `${file}: not JSON (${(err as Error).message}); expected the output of dmasim campaign --json`,
    );
  }
  const o = s as Partial<CampaignSummary> | null;
  if (
    !o ||
    typeof o !== 'object' ||
    typeof o.runs !== 'number' ||
    typeof o.byKind !== 'object' ||
    !Array.isArray(o.failuresBySignature) ||
    typeof o.plannedRuns !== 'number'
  ) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `${file}: not a campaign result; expected the output of dmasim campaign --json`,
    );
  }
  return o as CampaignSummary;
}

/** `dmasim merge a.json b.json ...`: one summary of campaign shards. */
export function mergeCommand(req: MergeRequest, io: Output): Promise<ExitCode> {
  const merged = mergeSummaries(req.files.map((file) => ({ file, summary: readSummary(file) })));
  io.out(req.json ? `${JSON.stringify(merged, null, 2)}\n` : renderCampaign(merged));
  return Promise.resolve(merged.exitCode);
}
