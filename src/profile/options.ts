import { DmasimError } from '../errors.js';
import { resolveParams, type ParamDef } from '../platform/param-schema.js';

/** The profilers `dmasim profile` drives. */
export const PROFILE_TOOLS = ['doctor', 'flame', 'bubbleprof', 'cpu'] as const;

/** One of PROFILE_TOOLS. */
export type ProfileTool = (typeof PROFILE_TOOLS)[number];

/** The options of `dmasim profile` besides the run options and the scenario's parameters. */
export const PROFILE_OPTION_DEFS: readonly ParamDef[] = [
  {
    key: 'tool',
    flag: 'tool',
    kind: 'choice',
    choices: PROFILE_TOOLS,
    default: 'cpu',
    help: "cpu: one .cpuprofile per actor thread; doctor, flame, bubbleprof: clinic.js on the host's main thread",
  },
  {
    key: 'dest',
    flag: 'dest',
    kind: 'string',
    default: 'dmasim-profiles',
    help: 'directory the profiles go to',
  },
];

/** A profile request split into its own options and those of the run it profiles. */
export interface ProfileOptions {
  tool: ProfileTool;
  dest: string;
  /** Run options and scenario parameters, as given. */
  run: Record<string, unknown>;
}

/**
 * Takes the profile options out of a flat options object and checks them.
 * @throws DmasimError DMASIM_BAD_OPTION naming --tool or --dest
 */
export function resolveProfileOptions(options: Record<string, unknown>): ProfileOptions {
  const own = new Set(PROFILE_OPTION_DEFS.map((d) => d.key));
  const mine: Record<string, unknown> = {};
  const run: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) (own.has(k) ? mine : run)[k] = v;
  const resolved = resolveParams(PROFILE_OPTION_DEFS, mine) as { tool: ProfileTool; dest: string };
  if (resolved.dest.trim() === '') {
    throw new DmasimError('DMASIM_BAD_OPTION', '--dest: got "", expected a directory');
  }
  return { ...resolved, run };
}
