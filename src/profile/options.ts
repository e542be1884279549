import type { ParamDef } from '../scenarios/param-schema.js';

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
