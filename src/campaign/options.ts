import type { ParamDef } from '../platform/param-schema.js';

/** What a campaign takes besides the run options and the scenario's parameters. */
export interface CampaignOptions {
  /** Runs in the whole campaign (before sharding). */
  runs: number;
  /** Runs at once (0: as many as the cores allow). */
  workers: number;
  /** `i/n`: this job's slice of the seed space ('' : all of it). */
  shard: string;
  /** Where the replay files of distinct failures go. */
  replayDir: string;
}

/** The options of `dmasim campaign`. */
export const CAMPAIGN_OPTION_DEFS: readonly ParamDef[] = [
  {
    key: 'runs',
    flag: 'runs',
    kind: 'uint',
    default: 100,
    min: 1,
    help: 'runs in the campaign: seeds --seed, --seed + 1, ... (before --shard takes its slice)',
  },
  {
    key: 'workers',
    flag: 'workers',
    kind: 'uint',
    default: 0,
    help: 'runs at once, each on its own reserved actor threads (0: as many as the cores allow)',
  },
  {
    key: 'shard',
    flag: 'shard',
    kind: 'string',
    default: '',
    help: 'i/n: run only the i-th of n deterministic slices of the seeds (1 <= i <= n)',
  },
  {
    key: 'replayDir',
    flag: 'replay-dir',
    kind: 'string',
    default: 'dmasim-replays',
    help: 'where the replay file of each distinct failure is written',
  },
];
